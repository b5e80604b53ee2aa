/** The order as the cloud hands it to an agent for creation in the POS (`order.export`). */
import { z } from "zod";
import { Currency, Money, PosText } from "./common";

export const ExportItem = z.object({
  code: z.string().max(64).optional(),
  name: PosText,
  quantity: z.number().positive(),
  price: Money,
  discountedPrice: Money.optional(),
});

export const OrderExport = z.object({
  orderId: z.string().max(64),
  number: z.string().max(64),
  source: z.string().max(32),
  deliveryType: z.string().max(32),
  client: z.object({ name: PosText.optional(), phone: z.string().max(32).optional() }).optional(),
  address: PosText.optional(),
  comment: PosText.optional(),
  items: z.array(ExportItem).min(1).max(500),
  total: Money,
  currency: Currency,
  paid: z.boolean(),
});
export type OrderExport = z.infer<typeof OrderExport>;
