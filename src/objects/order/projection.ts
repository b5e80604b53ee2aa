/**
 * The order's projection into D1: card, problems, payments and the history
 * rows not yet copied, in one `db.batch()` (atomic), so the panel never sees
 * a card that disagrees with its history. Idempotent: the card only moves
 * forward by version, rows are upserts, history rows are insert-or-ignore.
 */
import { lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { orderHistory, orderPayments, orderProblems, orders } from "../../db/schema";
import { problemIndicator } from "../../domain/orders/problems";
import type { HistoryEntry, OrderState } from "../../domain/orders/types";

export async function project(db: Db, s: OrderState, newHistory: HistoryEntry[]): Promise<void> {
  const { historySeq: _seq, ...card } = s;
  const row = {
    id: s.id,
    accountId: s.accountId,
    restaurantId: s.data.restaurantId,
    source: s.data.source,
    externalId: s.data.externalId,
    number: s.data.number,
    status: s.data.status,
    operator: s.data.operator,
    deliveryType: s.data.delivery.type,
    total: s.data.total,
    currency: s.data.currency,
    problemIndicator: problemIndicator(s.problems),
    paymentMethod: s.data.paymentMethod,
    needsCall: s.data.needsCall,
    posExportState: s.posExport.state,
    card: JSON.stringify(card),
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
  const { id: _id, accountId: _a, createdAt: _c, ...updatable } = row;
  const statements = [
    db.insert(orders).values(row).onConflictDoUpdate({ target: orders.id, set: updatable, setWhere: lt(orders.version, s.version) }),
    ...s.problems.map((p) => {
      const v = {
        id: p.id,
        orderId: s.id,
        restaurantId: s.data.restaurantId,
        culprit: p.culprit,
        description: p.description,
        state: p.state,
        resolution: p.resolution,
        createdBy: p.createdBy,
        createdAt: p.createdAt,
        updatedBy: p.updatedBy,
        updatedAt: p.updatedAt,
      };
      return db
        .insert(orderProblems)
        .values(v)
        .onConflictDoUpdate({
          target: orderProblems.id,
          set: { state: v.state, resolution: v.resolution, updatedBy: v.updatedBy, updatedAt: v.updatedAt, description: v.description },
          setWhere: sql`${orderProblems.updatedAt} <= ${v.updatedAt}`,
        });
    }),
    ...s.payments.map((p) => {
      const v = {
        id: p.id,
        orderId: s.id,
        method: p.method,
        kind: p.kind,
        amount: p.amount,
        state: p.state,
        providerRef: p.providerRef,
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
      };
      return db
        .insert(orderPayments)
        .values(v)
        .onConflictDoUpdate({
          target: orderPayments.id,
          set: { state: v.state, providerRef: v.providerRef, updatedAt: v.updatedAt },
          setWhere: sql`${orderPayments.updatedAt} <= ${v.updatedAt}`,
        });
    }),
    ...newHistory.map((h) =>
      db
        .insert(orderHistory)
        .values({ orderId: s.id, seq: h.seq, at: h.at, actor: h.actor, action: h.action, changes: JSON.stringify(h.changes) })
        .onConflictDoNothing(),
    ),
  ];
  await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
}
