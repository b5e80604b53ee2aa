import { OrderInput } from "../../../src/protocol/orders";
import type { OrderSettings } from "../../../src/domain/orders/order";

export const T0 = Date.parse("2026-11-22T18:00:00Z");
export const ORDER_ID = "ord_0123456789abcdef01234567";
export const SETTINGS: OrderSettings = { paymentExpiryMs: 1_800_000, exportPollMs: 60_000, exportMaxAsks: 3 };

/** The operator's card from the seed: a delivery to the door, paid online. */
export function input(patch: Record<string, unknown> = {}) {
  return OrderInput.parse({
    restaurantId: "rst_1",
    source: "site",
    externalId: "4232-00200",
    number: "4232-00200",
    operator: "Dots_Designer",
    client: { name: "Олена", phone: "+380501112233", language: "uk" },
    delivery: { type: "door", address: "вул. Хрещатик, 1", courier: { name: "Петро" } },
    items: [
      { name: "Борщ", quantity: 2, price: 12_000 },
      { name: "Вареники", quantity: 1, price: 9_000, discountedPrice: 8_000 },
    ],
    cutlery: 2,
    total: 32_000,
    currency: "UAH",
    paymentMethod: "online",
    actor: "Dots_Designer",
    ...patch,
  });
}
