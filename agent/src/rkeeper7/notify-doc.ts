/**
 * One HTTP Order Notify event (`httpnotf.dll`): the root `<a>` with its
 * envelope attributes (RestCode, DateTime, Situation, seqnumber, guid, name,
 * ShiftNum, ShiftDate), the station, server and employee, the order, and the
 * `ChangeLog` of what the operation changed.
 */
import { guid, int, localTime } from "./units";
import { readOrder, readRef, type RkOrder, type RkRef } from "./order-model";
import { attr, child, children, parseXml, type XmlNode } from "./xml-tree";

export interface ChangeEntry {
  /** Element name inside ChangeLog: Dish, Discount, Void, PrintCheck, Pay, Item, Modi… */
  kind: string;
  attrs: Record<string, string>;
  oper?: { id: string; name: string; guid?: string };
  node: XmlNode;
}

export interface NotifyDoc {
  guid: string;
  situation: number | undefined;
  name: string;
  /** Instant with offset. */
  at: string;
  seqnumber?: string;
  restCode?: string;
  shiftNum?: number;
  shiftDate?: string;
  station?: RkRef & { netName?: string };
  server?: RkRef;
  employee?: RkRef & { role?: string };
  order?: RkOrder;
  /** `<Item ClassName="…"/>` at the top: which object the event is about. */
  itemClass?: string;
  changes: ChangeEntry[];
  root: XmlNode;
}

export class NotifyParseError extends Error {}

export function parseNotify(xml: string, timeZone: string, receivedAt = new Date()): NotifyDoc {
  let root: XmlNode;
  try {
    root = parseXml(xml);
  } catch (e) {
    throw new NotifyParseError(e instanceof Error ? e.message : String(e));
  }
  if (root.name !== "a") throw new NotifyParseError(`root element is <${root.name}>, expected <a>`);
  const docGuid = guid(attr(root, "guid"));
  if (!docGuid) throw new NotifyParseError("the event has no guid");
  const stationNode = child(root, "Station");
  const station = readRef(stationNode);
  const waiterNode = child(root, "Waiter") ?? child(root, "Employee");
  const employee = readRef(waiterNode);
  const orderNode = child(root, "Order");
  const log = child(root, "ChangeLog");
  const changes: ChangeEntry[] = (log?.children ?? []).map((n) => {
    const oper = child(n, "Oper");
    return {
      kind: n.name,
      attrs: n.attrs,
      node: n,
      ...(oper ? { oper: { id: attr(oper, "id") ?? "", name: attr(oper, "name") ?? "", guid: guid(attr(oper, "guid")) } } : {}),
    };
  });
  const itemClass = children(root, "Item").map((i) => attr(i, "ClassName")).find((c) => c);
  return {
    guid: docGuid,
    situation: int(attr(root, "Situation")),
    name: attr(root, "name") ?? "",
    at: localTime(attr(root, "DateTime"), timeZone) ?? receivedAt.toISOString(),
    seqnumber: attr(root, "seqnumber"),
    restCode: attr(root, "RestCode"),
    shiftNum: int(attr(root, "ShiftNum")),
    shiftDate: attr(root, "ShiftDate"),
    ...(station ? { station: { ...station, netName: attr(stationNode, "NetName") } } : {}),
    server: readRef(child(root, "Server")),
    ...(employee ? { employee: { ...employee, role: attr(child(waiterNode, "Role"), "name") } } : {}),
    ...(orderNode ? { order: readOrder(orderNode, timeZone, children(root, "Session")) } : {}),
    itemClass,
    changes,
    root,
  };
}

/** The guid of the root `<a>` element, read cheaply (dedupe before parsing). */
export function peekGuid(xml: string): string | undefined {
  const start = xml.indexOf("<a ");
  if (start === -1) return undefined;
  const end = xml.indexOf(">", start);
  const m = /\sguid="([^"]+)"/.exec(xml.slice(start, end === -1 ? undefined : end));
  return m ? guid(m[1]) : undefined;
}
