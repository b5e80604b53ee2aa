/**
 * Delivery orders from the ordering channels: problems (with their buttons,
 * see ../problem.ts), payments and orders the POS did not take.
 */
import type { OrderRef } from "../../../protocol/common";
import type { TillEvent } from "../../../protocol/events";
import type { Formatters } from "../formatter";
import { LIMIT, instant, loose, type Kit } from "../kit";
import { labelled, moneyLines, orderLine, orderName, orderRef, preBlock } from "../lines";

type Delivery = "order.problem" | "order.payment" | "order.pos_export_failed";

/** The order as the event names it: its `order`, else the number or id in `data`. */
function orderOf(e: TillEvent): OrderRef {
  return e.order ?? { number: loose(e.data.orderNumber), id: loose(e.data.orderId) };
}

/** "Решается — Иван Петров, 18:10": the last transition, when the bot re-renders after one. */
function changedLine(kit: Kit, data: Record<string, unknown>): string {
  const by = kit.line(loose(data.changedBy), LIMIT.person);
  const at = instant(data.changedAt);
  const when = at != null ? kit.time(at) : "";
  return labelled("✏️", kit.t.label.updated, [by, when].filter(Boolean).join(", "));
}

export const deliveryFormatters: Formatters<Delivery> = {
  "order.problem": (e, kit) => {
    const { label } = kit.t;
    const order = orderOf(e);
    return {
      sections: [
        [orderLine(kit, order)],
        [
          `📌 ${label.status}: <b>${kit.word(kit.t.problemState, e.data.state)}</b>`,
          labelled("👉", label.culprit, kit.word(kit.t.culprit, e.data.culprit)),
          labelled("📝", label.description, kit.line(e.data.description, LIMIT.description) && `<i>${kit.line(e.data.description, LIMIT.description)}</i>`),
          labelled("✍️", label.author, kit.line(e.data.actor, LIMIT.person)),
          changedLine(kit, e.data),
        ],
      ],
      digest: [orderRef(kit, order), kit.word(kit.t.culprit, e.data.culprit), kit.line(e.data.description, 60)],
    };
  },
  "order.payment": (e, kit) => {
    const { label } = kit.t;
    const order = orderOf(e);
    const state = kit.word(kit.t.paymentState, e.data.state);
    const before = e.data.previousState ? `${kit.word(kit.t.paymentState, e.data.previousState)} → ` : "";
    return {
      sections: [
        [orderLine(kit, order)],
        [
          labelled("💳", label.method, kit.word(kit.t.paymentMethod, e.data.method)),
          `📌 ${label.status}: ${before}<b>${state}</b>`,
          ...moneyLines(kit, e.amount, order),
        ],
        [labelled("💬", label.reason, kit.line(e.reason, LIMIT.reason))],
      ],
      digest: [orderRef(kit, order), kit.word(kit.t.paymentMethod, e.data.method), state, e.amount != null ? `<b>${kit.money(e.amount)}</b>` : ""],
    };
  },
  "order.pos_export_failed": (e, kit) => {
    const order = orderOf(e);
    const ref = orderRef(kit, order);
    return {
      sections: [
        [`<b>${kit.t.exportFailed(orderName(kit, order) || "—")}</b>`],
        [labelled("💬", kit.t.label.reason, kit.line(e.reason, LIMIT.reason))],
        [preBlock(kit, e.data.log, 100)],
        [kit.t.exportAdvice],
      ],
      digest: [ref, kit.line(e.reason ?? e.data.log.at(-1), 80)],
    };
  },
};
