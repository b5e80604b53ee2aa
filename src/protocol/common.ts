/**
 * Building blocks shared by every wire message between the agent, the Worker
 * and the tests. Pure zod: this folder is imported by the Node agent too, so it
 * must never import anything Workers-specific.
 */
import { z } from "zod";

/** Money in minor units (kopecks, cents). Never a float. */
export const Money = z.int().refine(Number.isSafeInteger, "must be a safe integer");

/** ISO 4217 code, e.g. "RUB", "UAH", "EUR". */
export const Currency = z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code of three capital letters");

/** A moment with its UTC offset, as the POS saw it: "2026-11-22T18:03:11+03:00" (or "…Z"). */
export const Instant = z.iso.datetime({ offset: true });

/** POS strings come from the till: anything up to a sane bound; escaping is the renderer's job. */
export const PosText = z.string().max(4000);

/** A person or a place as the POS names it: its code in the POS and its display name. */
export const Ref = z.looseObject({
  code: z.string().max(64).optional(),
  name: PosText,
});
export type Ref = z.infer<typeof Ref>;

export const Item = z.looseObject({
  code: z.string().max(64).optional(),
  name: PosText,
  /** Pieces or kilograms; fractional quantities are allowed (0.35 kg). */
  quantity: z.number().finite(),
  /** Price of one unit, minor units. */
  price: Money.optional(),
  /** Line amount, minor units. */
  amount: Money.optional(),
  category: PosText.optional(),
});
export type Item = z.infer<typeof Item>;

export const OrderRef = z.looseObject({
  id: z.string().max(64).optional(),
  number: z.string().max(64).optional(),
  table: z.string().max(64).optional(),
  guests: z.int().min(0).optional(),
  waiter: Ref.optional(),
  total: Money.optional(),
});
export type OrderRef = z.infer<typeof OrderRef>;

/** Every failure of the HTTP API answers with this body. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
