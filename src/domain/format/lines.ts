/**
 * The pieces most alerts share: which order, who, what items, how much and
 * why. Each returns balanced Telegram HTML with POS strings escaped and
 * bounded, or "" when the event does not say.
 */
import type { Item, OrderRef, Ref } from "../../protocol/common";
import type { TillEvent } from "../../protocol/events";
import type { Elastic, Section } from "./compose";
import type { AlertDraft } from "./formatter";
import { LIMIT, loose, looseObject, type Kit } from "./kit";

/** Items listed in full before "…and N more". */
export const ITEM_CAP = 10;

/** "Сотрудник: Иванова А." with the label in the chat's language. */
export function labelled(icon: string, label: string, value: string): string {
  return value ? `${icon} ${label}: ${value}` : "";
}

/** "Заказ №123 · стол 5 · 2 гостя", or "" without an order. */
export function orderLine(kit: Kit, order: OrderRef | undefined, extra: string[] = []): string {
  if (!order && extra.length === 0) return "";
  const parts: string[] = [];
  const name = orderName(kit, order);
  if (name) parts.push(`<b>${name}</b>`);
  if (order?.table) parts.push(kit.t.table(kit.line(order.table, LIMIT.orderField)));
  if (order?.guests != null && order.guests > 0) parts.push(kit.count(kit.t.count.guests, order.guests));
  parts.push(...extra.filter(Boolean));
  return parts.length > 0 ? `🧾 ${parts.join(" · ")}` : "";
}

/** "Заказ №123" (the head of a POS id when the order has no number), or "". */
export function orderName(kit: Kit, order: OrderRef | undefined): string {
  const number = order?.number ?? shortId(order?.id);
  return number ? kit.t.order(kit.line(number, LIMIT.orderField)) : "";
}

/** "№123" for digests and cross references ("from order №118, table 3"). */
export function orderRef(kit: Kit, order: OrderRef | Record<string, unknown> | undefined, withTable = false): string {
  if (!order) return "";
  const number = loose(order.number) ?? shortId(loose(order.id));
  const table = withTable ? loose(order.table) : undefined;
  const ref = number ? kit.t.orderRef(kit.line(number, LIMIT.orderField)) : "";
  const tbl = table ? kit.t.table(kit.line(table, LIMIT.orderField)) : "";
  return [ref, tbl].filter(Boolean).join(", ");
}

/** POS ids are GUIDs: show a recognisable head rather than 38 characters. */
function shortId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const bare = id.replace(/[{}]/g, "");
  return bare.length > 12 ? bare.slice(0, 8) : bare;
}

const sameRef = (a: Ref | undefined, b: Ref | undefined) =>
  !!a && !!b && (a.code != null && b.code != null ? a.code === b.code : a.name === b.name);

/** Employee, the manager who authorised it, and the waiter when it is someone else. */
export function peopleLines(kit: Kit, event: Pick<TillEvent, "employee" | "manager" | "order">): string[] {
  const { label } = kit.t;
  const waiter = event.order?.waiter;
  return [
    labelled("👤", label.employee, kit.line(event.employee?.name, LIMIT.person)),
    labelled("🔑", label.manager, sameRef(event.manager, event.employee) ? "" : kit.line(event.manager?.name, LIMIT.person)),
    labelled("🤵", label.waiter, sameRef(waiter, event.employee) ? "" : kit.line(waiter?.name, LIMIT.person)),
  ];
}

/** Who, for a digest line: "Иванова А. (🔑 Петров С.)". */
export function peopleShort(kit: Kit, event: Pick<TillEvent, "employee" | "manager">): string {
  const who = kit.line(event.employee?.name, 30);
  const boss = sameRef(event.manager, event.employee) ? "" : kit.line(event.manager?.name, 30);
  return who && boss ? `${who} (🔑 ${boss})` : who || (boss ? `🔑 ${boss}` : "");
}

/** A line's money: its amount, else price × quantity. */
export function itemAmount(item: Item): number | undefined {
  if (item.amount != null) return item.amount;
  if (item.price != null) return Math.round(item.price * item.quantity);
  return undefined;
}

/** The items' total when every item knows its amount. */
export function itemsTotal(items: readonly Item[] | undefined): number | undefined {
  if (!items || items.length === 0) return undefined;
  let sum = 0;
  for (const item of items) {
    const a = itemAmount(item);
    if (a == null) return undefined;
    sum += a;
  }
  return sum;
}

function itemLine(kit: Kit, item: Item): string {
  const amount = itemAmount(item);
  const name = kit.line(item.name, LIMIT.itemName) || "—";
  return `• ${name} × ${kit.num(item.quantity)}${amount != null ? ` — ${kit.money(amount)}` : ""}`;
}

/** The item list, at most ITEM_CAP lines and whatever fits, then "…and N more". */
export function itemsBlock(kit: Kit, items: readonly Item[] | undefined): Elastic | "" {
  if (!items || items.length === 0) return "";
  const lines = items.slice(0, ITEM_CAP).map((item) => itemLine(kit, item));
  return {
    fit(budget) {
      for (let shown = lines.length; shown >= 0; shown--) {
        const rest = items.length - shown;
        const out = [...lines.slice(0, shown), rest > 0 ? kit.count(kit.t.count.moreItems, rest) : ""]
          .filter(Boolean)
          .join("\n");
        if (out.length <= budget) return out;
      }
      return "";
    },
  };
}

/** Items for a digest line: "Стейк рибай ×1 +2". */
export function itemsShort(kit: Kit, items: readonly Item[] | undefined): string {
  const first = items?.[0];
  if (!first) return "";
  const more = items.length > 1 ? ` +${items.length - 1}` : "";
  return `${kit.line(first.name, 40)} ×${kit.num(first.quantity)}${more}`;
}

/**
 * Lines kept in `<pre>` as printed (monospace layout intact: inner spaces are
 * kept, only each line's length is bounded), as many as fit, then "…and N more lines".
 */
export function preBlock(kit: Kit, lines: readonly string[], maxLines = 200): Elastic | "" {
  if (lines.length === 0) return "";
  const shown = lines.slice(0, maxLines).map((l) => kit.text(l.replace(/\r?\n/g, " "), LIMIT.line));
  return {
    fit(budget) {
      // Cut by whole lines; a line that does not fit ends the block.
      const tail = (rest: number) => (rest > 0 ? `\n${kit.count(kit.t.count.moreLines, rest)}` : "");
      let body = "";
      let n = 0;
      for (const line of shown) {
        const next = n === 0 ? line : `${body}\n${line}`;
        if (`<pre>${next}</pre>`.length + tail(lines.length - n - 1).length > budget) break;
        body = next;
        n++;
      }
      if (n === 0) return budget >= tail(lines.length).length ? tail(lines.length).trimStart() : "";
      return `<pre>${body}</pre>${tail(lines.length - n)}`;
    },
  };
}

/** "Сумма: 2 500 ₽" in bold, and the order's total when it says something more. */
export function moneyLines(kit: Kit, amount: number | undefined, order?: OrderRef): string[] {
  const { label } = kit.t;
  return [
    amount != null ? `💰 ${label.amount}: <b>${kit.money(amount)}</b>` : "",
    order?.total != null && order.total !== amount ? `🧮 ${label.orderTotal}: ${kit.money(order.total)}` : "",
  ];
}

export function reasonLine(kit: Kit, reason: string | undefined): string {
  const text = kit.line(reason, LIMIT.reason);
  return text ? `💬 ${kit.t.label.reason}: <i>${text}</i>` : "";
}

/** The data's `check.number` some POS events carry ("Чек №0042"). */
export function checkRef(kit: Kit, data: Record<string, unknown>): string {
  const number = loose(looseObject(data.check)?.number);
  return number ? kit.t.check(kit.line(number, LIMIT.orderField)) : "";
}

/**
 * The usual till operation: the order, who did it, which items, how much and
 * why; `extra` lines go right under the order.
 */
export function tillSections(
  kit: Kit,
  event: TillEvent,
  opts: { extra?: string[]; orderExtra?: string[]; amount?: number } = {},
): Section[] {
  const amount = opts.amount ?? event.amount ?? itemsTotal(event.items);
  return [
    [orderLine(kit, event.order, opts.orderExtra), ...(opts.extra ?? [])],
    peopleLines(kit, event),
    [itemsBlock(kit, event.items)],
    moneyLines(kit, amount, event.order),
    [reasonLine(kit, event.reason)],
  ];
}

/** The matching digest facts: order, items, money, who, reason. */
export function tillDigest(kit: Kit, event: TillEvent, amount?: number): string[] {
  const money = amount ?? event.amount ?? itemsTotal(event.items);
  return [
    orderRef(kit, event.order),
    itemsShort(kit, event.items),
    money != null ? `<b>${kit.money(money)}</b>` : "",
    peopleShort(kit, event),
    event.reason ? `💬 ${kit.line(event.reason, 40)}` : "",
  ];
}

/** A till operation with nothing particular to add. */
export function tillDraft(event: TillEvent, kit: Kit): AlertDraft {
  return { sections: tillSections(kit, event), digest: tillDigest(kit, event) };
}

/** A code-like value in monospace ("spool_high"), or "" when there is none. */
export function codeText(kit: Kit, value: string | undefined, max = 64): string {
  const text = kit.line(value, max);
  return text ? `<code>${text}</code>` : "";
}
