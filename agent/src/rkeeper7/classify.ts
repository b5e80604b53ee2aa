/**
 * r_keeper facts → contract events. Pure: (notify event, the order as last
 * seen, reference data) in, event drafts out.
 *
 * Two readings are combined and de-duplicated by a key naming the POS fact
 * (a void's line guid, a discount's line guid, a check's guid…):
 *  1. the order diff — what changed between the last snapshot of the order
 *     and this one (new voids, discounts added or deleted, prechecks and
 *     receipts printed or deleted, sessions sent to the kitchen). The XML
 *     poller (./reconcile.ts) uses the same diff on `GetOrder` answers, so a
 *     fact seen by both paths gets the same event id and is sent once;
 *  2. the ChangeLog — each entry's `<Oper>` or element kind, through the
 *     tables in ./classify-tables.ts.
 * A ChangeLog entry that neither reading explains becomes `pos.unclassified`
 * with the raw XML, never silently dropped.
 */
import { createHash } from "node:crypto";
import type { Item, OrderRef, Ref } from "../../../src/protocol/common";
import type { AgentEventType } from "../../../src/protocol/events";
import type { EventDraft } from "../source";
import {
  KDS_STATES,
  KNOWN_OPERATION_IDS,
  meaningFromEventType,
  OPERATION_NAME_RULES,
  type OperMeaning,
  SITUATION_RULES,
  type SituationMeaning,
} from "./classify-tables";
import type { ChangeEntry, NotifyDoc } from "./notify-doc";
import {
  dishesOf,
  discountsOf,
  isSaved,
  plainRef,
  printChecksOf,
  readDiscount,
  type RkDiscount,
  type RkDish,
  type RkOrder,
  type RkPrintCheck,
  type RkRef,
  type RkSession,
} from "./order-model";
import { bool, guid, guidKey, int, money } from "./units";

export interface VoidReasonFlags {
  /** The reason is for annulling a receipt (ImplOnCheckUndo). */
  checkUndo?: boolean;
}

export interface ClassifyContext {
  timezone: string;
  currency: string;
  /** Site overrides: r_keeper operation id → event type or "ignore". */
  operMap?: Record<string, string>;
  /** ORDERVOIDS flags by reason id and by code. */
  voidReasons?: Map<string, VoidReasonFlags>;
}

export interface FactContext extends ClassifyContext {
  /** Where the facts were read: "rk7.notify" or "rk7.xml". */
  source: string;
  /** Raw XML the facts come from, kept with every event for re-classification. */
  raw?: string;
  /** Time for facts that carry none. */
  at: string;
  station?: RkRef;
  employee?: RkRef;
  /** Envelope details of a notify event. */
  rk7?: Record<string, unknown>;
}

export interface Classification {
  meaning: SituationMeaning | "unknown";
  drafts: EventDraft[];
}

// ── ids ─────────────────────────────────────────────────────────────────────

/** A stable event id for a POS fact: `rk7:<key>`, hashed when too long. */
export function factId(key: string): string {
  const id = `rk7:${key}`;
  return id.length <= 64 ? id : `rk7:h:${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;
}

// ── small builders ──────────────────────────────────────────────────────────

export function orderRef(o: RkOrder): OrderRef {
  return {
    id: o.guid.slice(0, 64),
    ...(o.number ? { number: o.number.slice(0, 64) } : {}),
    ...(o.table ? { table: (o.table.name || o.table.code || "").slice(0, 64) } : {}),
    ...(o.guests !== undefined ? { guests: o.guests } : {}),
    ...(o.waiter ? { waiter: plainRef(o.waiter) } : {}),
    ...(o.orderSum !== undefined ? { total: o.orderSum } : {}),
  };
}

function dishItem(d: RkDish, quantity: number): Item {
  const price = d.price;
  return {
    ...(d.ref.code ? { code: d.ref.code.slice(0, 64) } : {}),
    name: d.ref.name,
    quantity,
    ...(price !== undefined ? { price, amount: Math.round(price * quantity) } : {}),
  };
}

function orderItems(o: RkOrder): Item[] {
  return dishesOf(o)
    .filter(({ dish }) => dish.quantity > 0)
    .map(({ dish }) => ({ ...dishItem(dish, dish.quantity), ...(dish.amount !== undefined ? { amount: dish.amount } : {}) }));
}

function maskCard(code: string | undefined): string {
  if (!code) return "****";
  const tail = code.replace(/\s+/g, "").slice(-4);
  return `**** ${tail}`;
}

function discountData(d: RkDiscount) {
  return {
    ...(d.ref.code ? { code: d.ref.code.slice(0, 64) } : {}),
    name: d.ref.name,
    ...(d.amount !== undefined ? { amount: d.amount } : {}),
  };
}

function differs(a: RkRef | undefined, b: RkRef | undefined): boolean {
  if (!a || !b) return Boolean(a);
  return (a.id ?? a.code ?? a.name) !== (b.id ?? b.code ?? b.name);
}

class Out {
  readonly drafts: EventDraft[] = [];
  private readonly keys = new Set<string>();
  constructor(private readonly ctx: FactContext) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string, type: AgentEventType, fields: Omit<EventDraft, "id" | "type" | "occurredAt"> & { occurredAt?: string }): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    const { occurredAt, data, ...rest } = fields;
    const station = rest.station ?? plainRef(this.ctx.station);
    const employee = rest.employee ?? plainRef(this.ctx.employee);
    this.drafts.push({
      id: factId(key),
      type,
      occurredAt: occurredAt ?? this.ctx.at,
      ...rest,
      ...(station ? { station } : {}),
      ...(employee ? { employee } : {}),
      data: {
        source: this.ctx.source,
        ...(this.ctx.rk7 ? { rk7: this.ctx.rk7 } : {}),
        ...(data ?? {}),
        // The raw XML travels with every event so it can be re-classified later;
        // for pos.unclassified it is the point of the event.
        ...(this.ctx.raw !== undefined ? { raw: this.ctx.raw } : type === "pos.unclassified" ? { raw: "" } : {}),
      },
    });
  }
}

function isAnnulment(pc: RkPrintCheck, reasons: Map<string, VoidReasonFlags> | undefined): boolean {
  const r = pc.reason;
  if (!r || !reasons) return false;
  return Boolean((r.id && reasons.get(r.id)?.checkUndo) || (r.code && reasons.get(`code:${r.code}`)?.checkUndo));
}

function checkClosedFields(o: RkOrder, pc: RkPrintCheck | undefined, ctx: FactContext) {
  const pays = (pc?.pays.length ? pc.pays : o.sessions.flatMap((s) => s.pays)).filter((p) => !p.deleted);
  const amount = pc?.amount ?? o.orderSum ?? pays.reduce((s, p) => s + p.amount, 0);
  const payments = pays.length > 0 ? pays.map((p) => ({ method: p.ref.name, amount: p.amount })) : [{ method: "Не указано", amount }];
  const items = orderItems(o);
  const discounts = discountsOf(o)
    .filter((d) => !d.deleted)
    .map((d) => ({ ...discountData(d), amount: d.amount ?? 0, ...(d.loyalty ? { card: maskCard(d.cardCode) } : {}) }));
  return {
    order: orderRef(o),
    amount,
    currency: ctx.currency,
    ...(items.length > 0 ? { items: items.slice(0, 500) } : {}),
    ...(pc?.author ? { employee: plainRef(pc.author) } : {}),
    ...(pc?.printedAt ? { occurredAt: pc.printedAt } : {}),
    data: {
      payments,
      ...(pc?.number ? { checkNumber: pc.number } : {}),
      ...(o.discountSum ? { discount: Math.abs(o.discountSum) } : {}),
      ...(discounts.length > 0 ? { discounts } : {}),
    },
  };
}

// ── 1. the order diff ───────────────────────────────────────────────────────

export interface DiffOptions {
  /** Count decreases of unsaved dishes as deletions (only for "Order Changed", not "Quit Order"). */
  unsavedDeletions: boolean;
  /**
   * When there is no earlier snapshot: report only facts stamped after this
   * instant (catch-up after the agent was down); without it a first sight is a
   * silent baseline.
   */
  since?: number;
}

export function diffOrder(prev: RkOrder | undefined, next: RkOrder, ctx: FactContext, opts: DiffOptions): EventDraft[] {
  const out = new Out(ctx);
  addDiffFacts(out, prev, next, ctx, opts);
  return out.drafts;
}

function addDiffFacts(out: Out, prev: RkOrder | undefined, next: RkOrder, ctx: FactContext, opts: DiffOptions): void {
  const order = orderRef(next);
  const firstSight = prev === undefined;
  const fresh = (at: string | undefined) => !firstSight || (opts.since !== undefined && at !== undefined && Date.parse(at) > opts.since);

  // Voids: a saved dish deleted (with who and why).
  const prevVoids = new Set(prev ? dishesOf(prev).flatMap(({ dish }) => dish.voids.map((v, i) => v.lineGuid ?? `${dish.lineGuid}#${i}`)) : []);
  for (const { dish, session } of dishesOf(next)) {
    dish.voids.forEach((v, i) => {
      const k = v.lineGuid ?? `${dish.lineGuid}#${i}`;
      if (prevVoids.has(k) || !fresh(v.at)) return;
      out.add(`void:${guidKey(v.lineGuid) || `${guidKey(dish.lineGuid)}:${i}`}`, "dish.deleted_saved", {
        order,
        items: [{ ...dishItem(dish, v.quantity), ...(v.amount !== undefined ? { amount: v.amount } : {}) }],
        ...(v.amount !== undefined ? { amount: v.amount, currency: ctx.currency } : {}),
        ...(v.openName || v.reason ? { reason: v.openName ?? v.reason!.name } : {}),
        ...(v.author && differs(v.author, ctx.employee) ? { manager: plainRef(v.author) } : {}),
        ...(v.author && !ctx.employee ? { employee: plainRef(v.author) } : {}),
        ...(v.at ? { occurredAt: v.at } : {}),
        ...(session.station ? { station: plainRef(session.station) } : {}),
        data: { dishLine: dish.lineGuid, voidLine: v.lineGuid },
      });
    });
  }

  // Unsaved dishes that went down or vanished while the order was edited.
  if (prev && opts.unsavedDeletions) {
    const nextLines = new Map(dishesOf(next).map((x) => [x.dish.lineGuid ?? `uni:${x.dish.uni}`, x]));
    for (const { dish, session } of dishesOf(prev)) {
      if (isSaved(dish, session)) continue;
      const now = nextLines.get(dish.lineGuid ?? `uni:${dish.uni}`);
      const left = now ? now.dish.quantity : 0;
      if (left >= dish.quantity || (now && isSaved(now.dish, now.session))) continue;
      out.add(`del:${guidKey(dish.lineGuid) || `uni${dish.uni}`}:${Math.round(left * 1000)}`, "dish.deleted_unsaved", {
        order,
        items: [dishItem(dish, round3(dish.quantity - left))],
        ...(dish.price !== undefined ? { amount: Math.round(dish.price * (dish.quantity - left)), currency: ctx.currency } : {}),
        data: { dishLine: dish.lineGuid },
      });
    }
  }

  // Discounts added and removed.
  const before = new Map(prev ? discountsOf(prev).map((d) => [d.lineGuid ?? `uni:${d.uni}`, d]) : []);
  const seen = new Set<string>();
  for (const d of discountsOf(next)) {
    const k = d.lineGuid ?? `uni:${d.uni}`;
    seen.add(k);
    const was = before.get(k);
    if (!d.deleted && !was && !firstSight) addDiscount(out, "added", d, order);
    if (d.deleted && ((was && !was.deleted) || (!was && !firstSight))) addDiscount(out, "removed", d, order);
  }
  for (const [k, was] of before) if (!seen.has(k) && !was.deleted) addDiscount(out, "removed", was, order);

  // Prechecks and receipts.
  const prevChecks = new Map(prev ? printChecksOf(prev).map((p) => [p.lineGuid ?? `uni:${p.uni}`, p]) : []);
  const nowChecks = new Set<string>();
  for (const pc of printChecksOf(next)) {
    const k = pc.lineGuid ?? `uni:${pc.uni}`;
    nowChecks.add(k);
    const was = prevChecks.get(k);
    const g = guidKey(pc.lineGuid) || `${guidKey(next.guid)}:${pc.uni}`;
    if (pc.bill) {
      if (!was && !pc.deleted && fresh(pc.printedAt)) {
        out.add(`bill:${g}`, "precheck.printed", { order, ...(pc.amount !== undefined ? { amount: pc.amount, currency: ctx.currency } : {}), ...(pc.printedAt ? { occurredAt: pc.printedAt } : {}) });
      }
      if (pc.deleted && ((was && !was.deleted) || (!was && !firstSight))) addPrecheckCancel(out, g, pc, order, ctx);
    } else {
      if (!was && fresh(pc.printedAt)) out.add(`chk:${g}`, "check.closed", checkClosedFields(next, pc, ctx));
      if (pc.deleted && ((was && !was.deleted) || (!was && !firstSight))) addCheckDeletion(out, g, pc, order, ctx);
    }
  }
  for (const [k, was] of prevChecks) {
    if (nowChecks.has(k) || was.deleted) continue;
    const g = guidKey(was.lineGuid) || `${guidKey(next.guid)}:${was.uni}`;
    // A precheck that vanished from an open order was cancelled.
    if (was.bill) addPrecheckCancel(out, g, was, order, ctx);
  }

  // Sessions sent to the kitchen: service print.
  const printedBefore = new Set(prev ? prev.sessions.filter((s) => s.printed).map((s) => s.lineGuid ?? `uni:${s.uni}`) : []);
  if (!firstSight) {
    for (const s of next.sessions) {
      if (!s.printed || printedBefore.has(s.lineGuid ?? `uni:${s.uni}`)) continue;
      const lines = s.dishes.filter((d) => d.quantity > 0);
      if (lines.length === 0) continue;
      out.add(`print:${guidKey(s.lineGuid) || `${guidKey(next.guid)}:${s.uni}`}`, "service_print", {
        order,
        ...(s.station ? { station: plainRef(s.station) } : {}),
        ...(s.author ? { employee: plainRef(s.author) } : {}),
        data: { document: serviceDocument(next, s, lines), orderType: next.orderType, orderCategory: next.orderCategory },
      });
    }
  }
}

function serviceDocument(o: RkOrder, s: RkSession, lines: RkDish[]) {
  const title = [`Заказ ${o.number ?? ""}`.trim(), o.table ? `Стол ${o.table.name}` : undefined, o.orderType].filter(Boolean).join(" · ");
  return {
    purpose: o.orderType && /банкет/i.test(o.orderType) ? "Банкет" : "Сервис-печать",
    title,
    lines: [title, ...(s.author ? [`Официант: ${s.author.name}`] : []), ...lines.map((d) => `${d.ref.name} × ${fmtQty(d.quantity)}`)].map((l) => l.slice(0, 500)),
  };
}

function addDiscount(out: Out, how: "added" | "removed", d: RkDiscount, order: OrderRef): void {
  const key = `disc${how === "added" ? "+" : "-"}:${guidKey(d.lineGuid) || `${order.id}:${d.uni}`}`;
  if (d.loyalty) {
    out.add(key, how === "added" ? "loyalty_discount.added" : "loyalty_discount.removed", {
      order,
      data: { card: { number: maskCard(d.cardCode), ...(d.interface ? { system: d.interface.name } : {}) }, discount: discountData(d), chargeSource: d.chargeSource },
    });
  } else {
    out.add(key, how === "added" ? "discount.added" : "discount.removed", { order, data: { discount: discountData(d), chargeSource: d.chargeSource } });
  }
}

function addPrecheckCancel(out: Out, g: string, pc: RkPrintCheck, order: OrderRef, ctx: FactContext): void {
  out.add(`bill-:${g}`, "precheck.cancelled", {
    order,
    ...(pc.amount !== undefined ? { amount: pc.amount, currency: ctx.currency } : {}),
    ...(pc.reason ? { reason: pc.reason.name } : {}),
    ...(pc.deleteManager ? { manager: plainRef(pc.deleteManager) } : {}),
  });
}

function addCheckDeletion(out: Out, g: string, pc: RkPrintCheck, order: OrderRef, ctx: FactContext): void {
  const annulled = isAnnulment(pc, ctx.voidReasons);
  out.add(`${annulled ? "chk~" : "chk-"}:${g}`, annulled ? "check.annulled" : "check.deleted", {
    order,
    amount: pc.amount ?? order.total ?? 0,
    currency: ctx.currency,
    ...(pc.reason ? { reason: pc.reason.name } : {}),
    ...(pc.deleteManager ? { manager: plainRef(pc.deleteManager) } : {}),
    data: { ...(pc.number ? { checkNumber: pc.number } : {}) },
  });
}

// ── 2. the notify event and its ChangeLog ───────────────────────────────────

export function situationOf(doc: Pick<NotifyDoc, "situation" | "name">): SituationMeaning | "unknown" {
  for (const r of SITUATION_RULES) {
    if ((doc.situation !== undefined && r.situations.includes(doc.situation)) || r.names.test(doc.name)) return r.meaning;
  }
  return "unknown";
}

export function operMeaning(oper: { id: string; name: string } | undefined, operMap: Record<string, string> | undefined): OperMeaning | undefined {
  if (!oper) return undefined;
  const site = operMap?.[oper.id];
  if (site) {
    const m = meaningFromEventType(site as never);
    if (m) return m;
  }
  const known = KNOWN_OPERATION_IDS[oper.id];
  if (known) return known;
  for (const [re, meaning] of OPERATION_NAME_RULES) if (re.test(oper.name)) return meaning;
  return undefined;
}

/** What a ChangeLog entry means when its operation does not say: from the element and its values. */
export function entryMeaning(e: ChangeEntry): OperMeaning | undefined {
  const a = e.attrs;
  const oldV = Number(a.oldvalue);
  const newV = Number(a.newvalue);
  switch (e.kind) {
    case "Void":
      return "dish.deleted";
    case "Dish":
    case "Combo": {
      if (a.OldStrValue !== undefined || a.NewStrValue !== undefined) {
        if (KDS_STATES.has(a.OldStrValue ?? "") && KDS_STATES.has(a.NewStrValue ?? "")) return "ignore";
        return undefined;
      }
      if (bool(a.new) || (a.oldvalue === "0" && newV > 0)) return "dish.added";
      if (Number.isFinite(oldV) && Number.isFinite(newV) && newV < oldV) return "dish.deleted";
      if (Number.isFinite(oldV) && Number.isFinite(newV) && newV > oldV) return "dish.added";
      return undefined;
    }
    case "Discount":
      if (bool(a.deleted) || a.state === "7" || (a.newvalue === "0" && a.oldvalue !== "0")) return "discount.removed";
      return "discount.added";
    case "PrintCheck":
      if (bool(a.bill)) return bool(a.deleted) || a.state === "7" ? "precheck.cancelled" : "precheck.printed";
      return bool(a.deleted) || a.state === "7" ? "check.deleted" : "check.closed";
    case "Pay":
    case "Prepay":
    case "Modi":
    case "Consum":
      return "ignore";
    default:
      return undefined;
  }
}

function findDish(o: RkOrder | undefined, e: ChangeEntry): { dish: RkDish; session: RkSession } | undefined {
  if (!o) return undefined;
  const lg = guid(e.attrs.line_guid);
  const uni = int(e.attrs.uni);
  return dishesOf(o).find(({ dish }) => (lg && dish.lineGuid === lg) || (!lg && uni !== undefined && dish.uni === uni));
}

/**
 * Classifies one notify event. `previous` is the order as last seen (from an
 * earlier event or `GetOrder`), undefined the first time.
 */
export function classifyNotify(doc: NotifyDoc, raw: string, previous: RkOrder | undefined, cctx: ClassifyContext): Classification {
  const meaning = situationOf(doc);
  const ctx: FactContext = {
    ...cctx,
    source: "rk7.notify",
    raw,
    at: doc.at,
    station: doc.station,
    employee: doc.employee,
    rk7: { guid: doc.guid, situation: doc.situation, name: doc.name, seqnumber: doc.seqnumber, shiftNum: doc.shiftNum },
  };
  const out = new Out(ctx);
  const docKey = guidKey(doc.guid);
  const o = doc.order;
  const order = o ? orderRef(o) : undefined;
  const saved = doc.changes.some((c) => operMeaning(c.oper, cctx.operMap) === "save");

  switch (meaning) {
    case "pos.started":
      out.add(docKey, "pos.started", {
        ...(doc.station ? {} : doc.server ? { station: { code: doc.server.code ?? doc.server.id, name: doc.server.name } as Ref } : {}),
        data: { scope: doc.station ? "station" : "server", ...(doc.shiftNum !== undefined ? { shift: doc.shiftNum } : {}) },
      });
      break;
    case "employee.login":
    case "employee.logout":
      if (doc.employee) out.add(docKey, meaning, { data: { role: doc.employee.role } });
      else unclassified(out, docKey, 0, `${doc.name}: the event names no employee`);
      break;
    case "order.saved":
      if (order) out.add(docKey, "order.saved", { order });
      break;
    case "order.quit":
      // Quitting after a save repeats the save's ChangeLog (Oper 416): nothing new.
      if (order && !saved) out.add(docKey, "order.exited_unsaved", { order });
      break;
    case "check.closed":
      if (o) {
        const pc = printChecksOf(o).filter((p) => !p.bill && !p.deleted).at(-1);
        const g = guidKey(pc?.lineGuid) || `${docKey}:check`;
        out.add(`chk:${g}`, "check.closed", checkClosedFields(o, pc, ctx));
      }
      break;
    case "precheck.printed":
    case "precheck.cancelled":
    case "check.deleted":
    case "check.annulled":
      if (o) addFromPrintChecks(out, meaning, o, docKey, ctx);
      break;
    case "unknown":
      unclassified(out, docKey, 0, `unknown notify situation ${doc.situation ?? "?"} "${doc.name}"`);
      break;
    default:
      break;
  }

  if (o) addDiffFacts(out, previous, o, ctx, { unsavedDeletions: meaning === "order.changed" });

  doc.changes.forEach((e, i) => {
    const m = operMeaning(e.oper, cctx.operMap) ?? entryMeaning(e);
    if (m === undefined) {
      unclassified(out, docKey, i + 1, `ChangeLog <${e.kind}>${e.oper ? ` operation ${e.oper.id} «${e.oper.name}»` : ""} not recognised`);
      return;
    }
    addFromChange(out, m, e, doc, previous, ctx, docKey, i);
  });
  return { meaning, drafts: out.drafts };
}

function addFromPrintChecks(out: Out, meaning: SituationMeaning, o: RkOrder, docKey: string, ctx: FactContext): void {
  const order = orderRef(o);
  const pcs = printChecksOf(o);
  const bill = meaning === "precheck.printed" || meaning === "precheck.cancelled";
  const wantDeleted = meaning !== "precheck.printed";
  const pc = pcs.filter((p) => p.bill === bill && p.deleted === wantDeleted).at(-1);
  const g = guidKey(pc?.lineGuid) || `${docKey}:${meaning}`;
  if (meaning === "precheck.printed") out.add(`bill:${g}`, "precheck.printed", { order, ...(pc?.amount !== undefined ? { amount: pc.amount, currency: ctx.currency } : {}) });
  else if (meaning === "precheck.cancelled") addPrecheckCancel(out, g, pc ?? { deleted: true, bill: true, pays: [] }, order, ctx);
  else {
    const rec = pc ?? { deleted: true, bill: false, pays: [], amount: o.orderSum };
    if (meaning === "check.annulled") {
      out.add(`chk~:${g}`, "check.annulled", {
        order,
        amount: rec.amount ?? 0,
        currency: ctx.currency,
        ...(rec.reason ? { reason: rec.reason.name } : {}),
        ...(rec.deleteManager ? { manager: plainRef(rec.deleteManager) } : {}),
      });
    } else addCheckDeletion(out, g, rec, order, ctx);
  }
}

function addFromChange(out: Out, m: OperMeaning, e: ChangeEntry, doc: NotifyDoc, previous: RkOrder | undefined, ctx: FactContext, docKey: string, i: number): void {
  const o = doc.order;
  const order = o ? orderRef(o) : undefined;
  switch (m) {
    case "ignore":
    case "save":
    case "dish.added":
      return;
    case "dish.deleted": {
      if (!order) return unclassified(out, docKey, i + 1, `deletion without an order`);
      if (e.kind === "Void") {
        const lg = guidKey(guid(e.attrs.line_guid));
        if (lg && out.has(`void:${lg}`)) return;
        const q = money(e.attrs.quantity);
        const author = e.node.children.find((c) => c.name === "Author");
        out.add(`void:${lg || `${docKey}:${i}`}`, "dish.deleted_saved", {
          order,
          items: [{ name: e.attrs.DishName ?? e.attrs.dishName ?? e.attrs.name ?? "?", quantity: q !== undefined ? q / 1000 : 1, ...(money(e.attrs.amount) !== undefined ? { amount: money(e.attrs.amount)! } : {}) }],
          ...(e.attrs.openName || e.attrs.name ? { reason: e.attrs.openName || e.attrs.name } : {}),
          ...(author ? { manager: { code: author.attrs.code, name: author.attrs.name ?? "?" } } : {}),
          ...(money(e.attrs.amount) !== undefined ? { amount: money(e.attrs.amount)!, currency: ctx.currency } : {}),
        });
        return;
      }
      const found = findDish(o, e) ?? findDish(previous, e);
      const oldQ = Number(e.attrs.oldvalue);
      const newQ = Number(e.attrs.newvalue);
      const removed = Number.isFinite(oldQ) && Number.isFinite(newQ) && oldQ > newQ ? (oldQ - newQ) / 1000 : (found?.dish.quantity ?? 1);
      const lineKey = guidKey(guid(e.attrs.line_guid)) || `uni${e.attrs.uni ?? i}`;
      const key = `del:${lineKey}:${Number.isFinite(newQ) ? newQ : 0}`;
      const savedLine = found ? isSaved(found.dish, found.session) : int(e.attrs.state) !== undefined && int(e.attrs.state)! >= 3;
      // A saved dish deleted with a void is reported by the diff (with the void's reason).
      if (savedLine && out.drafts.some((d) => d.type === "dish.deleted_saved" && (d.data as { dishLine?: string }).dishLine === found?.dish.lineGuid)) return;
      const dish: RkDish = found?.dish ?? { ref: { name: e.attrs.name ?? "?", code: e.attrs.code }, quantity: removed, voids: [], price: money(e.attrs.price) };
      out.add(key, savedLine ? "dish.deleted_saved" : "dish.deleted_unsaved", {
        order,
        items: [dishItem(dish, round3(removed))],
        ...(dish.price !== undefined ? { amount: Math.round(dish.price * removed), currency: ctx.currency } : {}),
        data: { dishLine: dish.lineGuid, operation: e.oper },
      });
      return;
    }
    case "dish.moved": {
      if (!order) return unclassified(out, docKey, i + 1, `transfer without an order`);
      const oldQ = Number(e.attrs.oldvalue);
      const newQ = Number(e.attrs.newvalue);
      const into = bool(e.attrs.new) || (Number.isFinite(oldQ) && Number.isFinite(newQ) && newQ > oldQ);
      const found = findDish(o, e) ?? findDish(previous, e);
      const qty = Number.isFinite(oldQ) && Number.isFinite(newQ) && oldQ !== newQ ? Math.abs(newQ - oldQ) / 1000 : (found?.dish.quantity ?? 1);
      const dish: RkDish = found?.dish ?? { ref: { name: e.attrs.name ?? "?", code: e.attrs.code }, quantity: qty, voids: [], price: money(e.attrs.price) };
      const lineKey = guidKey(guid(e.attrs.line_guid)) || `uni${e.attrs.uni ?? i}`;
      out.add(`move${into ? "+" : "-"}:${lineKey}:${Number.isFinite(newQ) ? newQ : 0}`, into ? "dish.moved_in" : "dish.moved_out", {
        order,
        items: [dishItem(dish, round3(qty))],
        // One notify event shows one side of the transfer; the other order is named when r_keeper says so.
        data: into ? { fromOrder: {} } : { toOrder: {} },
      });
      return;
    }
    case "discount.added":
    case "discount.removed": {
      if (!order) return unclassified(out, docKey, i + 1, `discount change without an order`);
      if (e.kind !== "Discount") return; // the diff reports it from the order lines
      const d = readDiscount(e.node);
      addDiscount(out, m === "discount.added" ? "added" : "removed", d, order);
      return;
    }
    case "precheck.printed":
    case "precheck.cancelled":
    case "check.deleted":
    case "check.annulled":
    case "check.closed": {
      if (!o) return unclassified(out, docKey, i + 1, `${m} without an order`);
      if (m === "check.closed") {
        if (out.drafts.some((d) => d.type === "check.closed")) return;
        const pc = printChecksOf(o).filter((p) => !p.bill && !p.deleted).at(-1);
        out.add(`chk:${guidKey(pc?.lineGuid) || `${docKey}:check`}`, "check.closed", checkClosedFields(o, pc, ctx));
        return;
      }
      if (out.drafts.some((d) => d.type === m)) return;
      addFromPrintChecks(out, m, o, docKey, ctx);
      return;
    }
  }
}

function unclassified(out: Out, docKey: string, i: number, why: string): void {
  out.add(`${docKey}:u${i}`, "pos.unclassified", { data: { why } });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function fmtQty(q: number): string {
  return Number.isInteger(q) ? String(q) : String(round3(q));
}
