/** Routine order life at the till: saved, left, precheck printed, check closed and paid. */
import type { Formatters } from "../formatter";
import { LIMIT } from "../kit";
import { tillDigest, tillDraft, tillSections } from "../lines";

type Orders = "check.closed" | "order.saved" | "order.exited_unsaved" | "precheck.printed";

export const orderFormatters: Formatters<Orders> = {
  "check.closed": (e, kit) => {
    const payments = e.data.payments
      .slice(0, 10)
      .map((p) => `• ${kit.line(p.method, LIMIT.person) || "—"} — ${kit.money(p.amount, p.currency)}`);
    const more = e.data.payments.length - payments.length;
    return {
      sections: [
        ...tillSections(kit, e),
        [`💳 ${kit.t.label.payment}:`, ...payments, more > 0 ? `… +${more}` : ""],
      ],
      digest: [...tillDigest(kit, e), e.data.payments.slice(0, 3).map((p) => kit.line(p.method, 20)).join(", ")],
    };
  },
  "order.saved": tillDraft,
  "order.exited_unsaved": tillDraft,
  "precheck.printed": tillDraft,
};
