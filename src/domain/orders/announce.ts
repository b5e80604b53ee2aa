/**
 * What an order tells the restaurant's chats, as cloud events journaled by
 * the restaurant object (so the normal routing and delivery carry them).
 * Ids are deterministic: announcing the same thing twice journals it once.
 */
import type { TillEvent } from "../../protocol/events";
import type { Announcement } from "./order";
import type { OrderState } from "./types";

const iso = (ms: number) => new Date(ms).toISOString();

/** Actors are `kind:id:name`; chats see the name. */
export function actorName(actor: string): string {
  const parts = actor.split(":");
  return parts.length >= 3 ? parts.slice(2).join(":") : actor;
}

export function announcementEvent(s: OrderState, a: Announcement, now: number): TillEvent | null {
  const order = { id: s.id, number: s.data.number, total: s.data.total };
  const base = { occurredAt: iso(now), order, currency: s.data.currency };
  switch (a.kind) {
    case "problem": {
      const p = s.problems.find((x) => x.id === a.problemId);
      if (!p) return null;
      return {
        ...base,
        // Created, or reopened (the n-th transition): each is announced once.
        id: p.transitions.length <= 1 ? `order.problem:${p.id}:created` : `order.problem:${p.id}:new:${p.transitions.length}`,
        type: "order.problem",
        data: {
          orderId: s.id,
          orderNumber: s.data.number,
          problemId: p.id,
          state: "new",
          culprit: p.culprit,
          description: p.description,
          actor: actorName(p.createdBy),
        },
      } as TillEvent;
    }
    case "payment": {
      const p = s.payments.find((x) => x.id === a.paymentId);
      if (!p) return null;
      return {
        ...base,
        id: `order.payment:${p.id}:${p.state}`,
        type: "order.payment",
        amount: p.amount,
        data: {
          orderId: s.id,
          orderNumber: s.data.number,
          paymentId: p.id,
          method: p.method,
          kind: p.kind,
          state: p.state,
          ...(a.previousState ? { previousState: a.previousState } : {}),
        },
      } as TillEvent;
    }
    case "export_failed":
      return {
        ...base,
        id: `order.pos_export_failed:${s.id}:${s.posExport.requestId ?? "none"}`,
        type: "order.pos_export_failed",
        ...(s.posExport.reason ? { reason: s.posExport.reason } : {}),
        data: { orderId: s.id, orderNumber: s.data.number, log: s.posExport.log.slice(-20) },
      } as TillEvent;
  }
}
