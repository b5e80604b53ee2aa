/** Discounts added to or removed from an order, including the loyalty system's. */
import type { TillEvent } from "../../../protocol/events";
import type { AlertDraft, Formatters } from "../formatter";
import { LIMIT, loose, looseMoney, looseObject, type Kit } from "../kit";
import { labelled, tillDigest, tillSections } from "../lines";

type Discounts = "discount.added" | "discount.removed" | "loyalty_discount.added" | "loyalty_discount.removed";

/** "Скидка 10% — 250 ₽" or "VIP (15%)": the discount's name, its percent and its money. */
function discountText(kit: Kit, discount: Record<string, unknown> | undefined): { line: string; amount?: number } {
  if (!discount) return { line: "" };
  const name = kit.line(loose(discount.name), LIMIT.itemName);
  const percent = typeof discount.percent === "number" ? `${kit.num(discount.percent)}%` : "";
  const amount = looseMoney(discount.amount);
  const parts = [name, percent && name.includes(percent) ? "" : percent && `(${percent})`].filter(Boolean).join(" ");
  const line = [parts, amount != null ? `<b>${kit.money(amount)}</b>` : ""].filter(Boolean).join(" — ");
  return amount != null ? { line, amount } : { line };
}

/** "****1234 · Сидоров В." and the loyalty programme. */
function cardLines(kit: Kit, card: Record<string, unknown> | undefined): string[] {
  if (!card) return [];
  const { label } = kit.t;
  return [
    labelled("💳", label.card, [kit.line(loose(card.number), 32), kit.line(loose(card.holder), LIMIT.person)].filter(Boolean).join(" · ")),
    labelled("🎯", label.loyaltySystem, kit.line(loose(card.system), LIMIT.person)),
  ];
}

function discountDraft(e: TillEvent, kit: Kit): AlertDraft {
  const discount = discountText(kit, looseObject(e.data.discount));
  const card = looseObject(e.data.card);
  return {
    // The discount's own money is on its line; the amount line is only for an event-level amount.
    sections: tillSections(kit, e, { extra: [labelled("🏷", kit.t.label.discount, discount.line), ...cardLines(kit, card)] }),
    digest: [
      discount.line && `🏷 ${kit.line(loose(looseObject(e.data.discount)?.name), 40)}`,
      card && kit.line(loose(card.number), 32),
      ...tillDigest(kit, e, e.amount ?? discount.amount),
    ],
  };
}

export const discountFormatters: Formatters<Discounts> = {
  "discount.added": discountDraft,
  "discount.removed": discountDraft,
  "loyalty_discount.added": discountDraft,
  "loyalty_discount.removed": discountDraft,
};
