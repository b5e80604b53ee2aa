/** Bodies of the admin JSON API (CONTRACT §6), used by the Worker, provisioning scripts and tests. */
import { z } from "zod";
import { Currency } from "./common";

const Name = z.string().trim().min(1).max(200);

export const CreateAccount = z.object({ name: Name });

export const CreateRestaurant = z.object({
  accountId: z.string().min(1).max(64),
  name: Name,
  /** IANA zone, e.g. "Europe/Moscow". */
  timezone: z.string().min(1).max(64),
  currency: Currency.default("RUB"),
  city: z.string().trim().min(1).max(8).optional(),
  cityColor: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
});

export const UpdateRestaurant = CreateRestaurant.omit({ accountId: true }).partial();

export const CreateAgent = z.object({ name: Name });

/** Extend by whole periods of a plan, or set the paid-until moment explicitly. */
export const ExtendLicense = z.union([
  z.strictObject({ paidUntil: z.iso.datetime({ offset: true }), plan: z.enum(["monthly", "yearly"]).optional() }),
  z.strictObject({ plan: z.enum(["monthly", "yearly"]), periods: z.int().min(1).max(36).default(1) }),
]);

export const CreateLinkCode = z.union([
  z.strictObject({ restaurantId: z.string().min(1).max(64), ttlMinutes: z.int().min(1).max(7 * 24 * 60).optional() }),
  z.strictObject({ accountId: z.string().min(1).max(64), ttlMinutes: z.int().min(1).max(7 * 24 * 60).optional() }),
]);

export const CreateApiKey = z.object({ name: Name, scope: z.enum(["orders", "payments"]).default("orders") });
