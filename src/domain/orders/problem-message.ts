/**
 * The `order.problem` event a chat's message shows for a problem as it is
 * now (the bot re-renders the message from it after a button press).
 */
import type { EventOf } from "../../protocol/events";
import { actorName } from "./announce";
import type { OrderCard, Problem } from "./types";

export function problemEvent(card: Pick<OrderCard, "id" | "data">, p: Problem): EventOf<"order.problem"> {
  return {
    id: `order.problem:${p.id}:created`,
    type: "order.problem",
    occurredAt: new Date(p.createdAt).toISOString(),
    order: { id: card.id, number: card.data.number, total: card.data.total },
    currency: card.data.currency,
    data: {
      orderId: card.id,
      orderNumber: card.data.number,
      problemId: p.id,
      state: "new",
      culprit: p.culprit,
      description: p.description,
      actor: actorName(p.createdBy),
    },
  } as EventOf<"order.problem">;
}
