/**
 * An r_keeper order as the agent keeps it: read from the `<Order>` of a notify
 * event or of a `GetOrder` answer (the same shapes). Sessions ("пакеты") may
 * come nested in `<Order>`, beside it at the top of a notify event, or both
 * (the driver's "corrected" form): they are merged by `uni`.
 */
import type { Ref } from "../../../src/protocol/common";
import { bool, guid, int, localTime, money, quantity } from "./units";
import { attr, child, children, type XmlNode } from "./xml-tree";

export interface RkRef extends Ref {
  id?: string;
  guid?: string;
}

export interface RkVoid {
  lineGuid?: string;
  uni?: number;
  /** The delete reason (ORDERVOIDS item). */
  reason?: RkRef;
  openName?: string;
  quantity: number;
  amount?: number;
  author?: RkRef;
  at?: string;
}

export interface RkDish {
  ref: RkRef;
  lineGuid?: string;
  uni?: number;
  state?: number;
  price?: number;
  amount?: number;
  quantity: number;
  srcQuantity?: number;
  voids: RkVoid[];
}

export interface RkDiscount {
  ref: RkRef;
  lineGuid?: string;
  uni?: number;
  state?: number;
  /** Kopecks taken off, positive. */
  amount?: number;
  deleted: boolean;
  cardCode?: string;
  chargeSource?: string;
  interface?: RkRef;
  loyalty: boolean;
}

export interface RkPay {
  ref: RkRef;
  lineGuid?: string;
  amount: number;
  deleted: boolean;
}

export interface RkPrintCheck {
  lineGuid?: string;
  uni?: number;
  number?: string;
  amount?: number;
  deleted: boolean;
  /** A precheck ("пречек"), not a receipt. */
  bill: boolean;
  state?: number;
  printedAt?: string;
  author?: RkRef;
  reason?: RkRef;
  deleteManager?: RkRef;
  pays: RkPay[];
}

export interface RkSession {
  uni?: number;
  lineGuid?: string;
  printed: boolean;
  state?: number;
  station?: RkRef;
  author?: RkRef;
  creator?: RkRef;
  dishes: RkDish[];
  discounts: RkDiscount[];
  pays: RkPay[];
  printChecks: RkPrintCheck[];
}

export interface RkOrder {
  guid: string;
  visit?: string;
  orderIdent?: string;
  /** What staff call the order: its sequence number, else its ident. */
  number?: string;
  name?: string;
  table?: RkRef;
  waiter?: RkRef;
  station?: RkRef;
  orderType?: string;
  orderCategory?: string;
  guests?: number;
  version?: number;
  crc32?: string;
  orderSum?: number;
  unpaidSum?: number;
  discountSum?: number;
  paid: boolean;
  finished: boolean;
  openedAt?: string;
  sessions: RkSession[];
}

export function readRef(n: XmlNode | undefined): RkRef | undefined {
  if (!n) return undefined;
  const name = attr(n, "name") ?? attr(n, "Name");
  const code = attr(n, "code") ?? attr(n, "Code");
  const id = attr(n, "id") ?? attr(n, "ID") ?? attr(n, "Ident");
  const g = guid(attr(n, "guid") ?? attr(n, "GUIDString"));
  if (name === undefined && code === undefined && id === undefined && g === undefined) return undefined;
  return {
    name: name ?? (code ? `#${code}` : id ? `#${id}` : "?"),
    ...(code !== undefined && code !== "" ? { code } : id !== undefined ? { code: id } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(g ? { guid: g } : {}),
  };
}

/** A plain contract `Ref` (code + name) from an r_keeper one. */
export function plainRef(r: RkRef | undefined): Ref | undefined {
  if (!r) return undefined;
  return { ...(r.code !== undefined ? { code: r.code.slice(0, 64) } : {}), name: r.name };
}

const LOYALTY_SOURCES = new Set(["pdscard", "pds", "farcards", "loyalty", "card"]);

function readVoid(n: XmlNode, tz: string): RkVoid {
  return {
    lineGuid: guid(attr(n, "line_guid")),
    uni: int(attr(n, "uni")),
    reason: readRef(n),
    openName: attr(n, "openName") || undefined,
    quantity: quantity(attr(n, "quantity")) ?? 0,
    amount: money(attr(n, "amount")),
    author: readRef(child(n, "Author")),
    at: localTime(attr(n, "dateTime"), tz),
  };
}

function readDish(n: XmlNode, tz: string): RkDish {
  return {
    ref: readRef(n) ?? { name: "?" },
    lineGuid: guid(attr(n, "line_guid")),
    uni: int(attr(n, "uni")),
    state: int(attr(n, "state")),
    price: money(attr(n, "price")),
    amount: money(attr(n, "amount")),
    quantity: quantity(attr(n, "quantity")) ?? 0,
    srcQuantity: quantity(attr(n, "srcQuantity")),
    voids: children(n, "Void").map((v) => readVoid(v, tz)),
  };
}

export function readDiscount(n: XmlNode): RkDiscount {
  const cardCode = attr(n, "cardCode") || undefined;
  const chargeSource = attr(n, "charge_source") || undefined;
  const iface = readRef(child(n, "Interface"));
  const amount = money(attr(n, "amount")) ?? money(attr(n, "discountSum"));
  return {
    ref: readRef(n) ?? { name: "?" },
    lineGuid: guid(attr(n, "line_guid")),
    uni: int(attr(n, "uni")),
    state: int(attr(n, "state")),
    amount: amount === undefined ? undefined : Math.abs(amount),
    deleted: bool(attr(n, "deleted")) || int(attr(n, "state")) === 7,
    cardCode,
    chargeSource,
    interface: iface,
    loyalty: Boolean(cardCode) || Boolean(iface) || Boolean(child(n, "BonusType")) || LOYALTY_SOURCES.has((chargeSource ?? "").toLowerCase()),
  };
}

function readPay(n: XmlNode): RkPay {
  return {
    ref: readRef(n) ?? { name: "?" },
    lineGuid: guid(attr(n, "line_guid")),
    amount: money(attr(n, "amount")) ?? 0,
    deleted: bool(attr(n, "deleted")) || int(attr(n, "state")) === 7,
  };
}

function readPrintCheck(n: XmlNode, tz: string): RkPrintCheck {
  return {
    lineGuid: guid(attr(n, "line_guid")),
    uni: int(attr(n, "uni")),
    number: attr(n, "CheckNum") || undefined,
    amount: money(attr(n, "amount")),
    deleted: bool(attr(n, "deleted")) || int(attr(n, "state")) === 7,
    bill: bool(attr(n, "bill")),
    state: int(attr(n, "state")),
    printedAt: localTime(attr(n, "printTime"), tz),
    author: readRef(child(n, "Author")),
    reason: readRef(child(n, "Reason")),
    deleteManager: readRef(child(n, "DeleteManager")),
    pays: children(n, "Pay").map(readPay),
  };
}

export function readSession(n: XmlNode, tz: string): RkSession {
  const items = n.children;
  return {
    uni: int(attr(n, "uni")),
    lineGuid: guid(attr(n, "line_guid")),
    printed: bool(attr(n, "printed")),
    state: int(attr(n, "state")),
    station: readRef(child(n, "Station")),
    author: readRef(child(n, "Author")),
    creator: readRef(child(n, "Creator")),
    dishes: items.filter((c) => c.name === "Dish" || c.name === "Combo").map((c) => readDish(c, tz)),
    discounts: items.filter((c) => c.name === "Discount").map(readDiscount),
    pays: items.filter((c) => c.name === "Pay" || c.name === "Prepay").map(readPay),
    printChecks: items.filter((c) => c.name === "PrintCheck").map((c) => readPrintCheck(c, tz)),
  };
}

/**
 * Reads `<Order>`; `extraSessions` are top-level `<Session>`s of a notify
 * event. A session present in both places is taken once (the nested copy).
 */
export function readOrder(n: XmlNode, tz: string, extraSessions: XmlNode[] = []): RkOrder {
  const sessions: RkSession[] = [];
  const seen = new Set<string>();
  for (const s of [...children(n, "Session"), ...extraSessions]) {
    const session = readSession(s, tz);
    const key = session.lineGuid ?? (session.uni !== undefined ? `uni:${session.uni}` : undefined);
    if (key && seen.has(key)) continue;
    if (key) seen.add(key);
    sessions.push(session);
  }
  const guests = int(attr(child(n, "Guests"), "count")) ?? int(attr(n, "guestsCount"));
  const seqNumber = attr(n, "seqNumber");
  return {
    guid: guid(attr(n, "guid")) ?? `visit:${attr(n, "visit")}/${attr(n, "orderIdent")}`,
    visit: attr(n, "visit"),
    orderIdent: attr(n, "orderIdent"),
    number: seqNumber && seqNumber !== "0" ? seqNumber : attr(n, "orderIdent"),
    name: attr(n, "orderName") || undefined,
    table: readRef(child(n, "Table")),
    waiter: readRef(child(n, "Waiter")),
    station: readRef(child(n, "Station")),
    orderType: attr(child(n, "OrderType"), "name"),
    orderCategory: attr(child(n, "OrderCategory"), "name"),
    guests: guests ?? (children(child(n, "Guests"), "Guest").length || undefined),
    version: int(attr(n, "version")),
    crc32: attr(n, "crc32"),
    orderSum: money(attr(n, "orderSum")),
    unpaidSum: money(attr(n, "unpaidSum")),
    discountSum: money(attr(n, "discountSum")),
    paid: bool(attr(n, "paid")),
    finished: bool(attr(n, "finished")),
    openedAt: localTime(attr(n, "openTime"), tz),
    sessions,
  };
}

/** All dishes of the order (every session). */
export function dishesOf(o: RkOrder): Array<{ dish: RkDish; session: RkSession }> {
  return o.sessions.flatMap((session) => session.dishes.map((dish) => ({ dish, session })));
}

export function discountsOf(o: RkOrder): RkDiscount[] {
  return o.sessions.flatMap((s) => s.discounts);
}

export function printChecksOf(o: RkOrder): RkPrintCheck[] {
  return o.sessions.flatMap((s) => s.printChecks);
}

/** A dish line counts as saved once its session was printed (sent to the kitchen) or its state is past "open". */
export function isSaved(dish: RkDish, session: RkSession): boolean {
  return session.printed || (dish.state !== undefined && dish.state >= 3);
}
