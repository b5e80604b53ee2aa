/**
 * Writes of the alert index and its deliveries. Every write is idempotent
 * (keyed by the alert key and by alert × chat) because the outbox drain that
 * makes them may run twice.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client";
import { alerts, deliveries } from "./schema";

export interface AlertRow {
  key: string;
  restaurantId: string;
  type: string;
  occurredAt: number;
  receivedAt: number;
  summary: string;
  amount: number | null;
  currency: string | null;
}

export interface DeliveryRow {
  chatId: string;
  status: "pending" | "skipped";
  error?: string;
}

/** Upserts alerts and returns their ids in input order (existing rows keep their id). */
export async function upsertAlerts(db: Db, rows: AlertRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 40) {
    const chunk = rows.slice(i, i + 40);
    const stmts = chunk.map((r) =>
      db
        .insert(alerts)
        .values(r)
        .onConflictDoUpdate({ target: alerts.key, set: { key: sql`excluded.key` } })
        .returning({ id: alerts.id }),
    );
    const results = await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
    for (const r of results) ids.push(r[0]!.id);
  }
  return ids;
}

/** Inserts delivery rows that do not exist yet; a row that exists keeps its status. */
export async function insertDeliveries(db: Db, items: { alertId: number; rows: DeliveryRow[] }[]): Promise<void> {
  const stmts = items
    .filter((i) => i.rows.length > 0)
    .map((i) =>
      db
        .insert(deliveries)
        .values(i.rows.map((r) => ({ alertId: i.alertId, chatId: r.chatId, status: r.status, error: r.error ?? null })))
        .onConflictDoNothing(),
    );
  for (let i = 0; i < stmts.length; i += 40) {
    const chunk = stmts.slice(i, i + 40);
    await db.batch(chunk as [(typeof chunk)[number], ...(typeof chunk)[number][]]);
  }
}

export interface DeliveryOutcome {
  alertId: number;
  status: "sent" | "failed" | "skipped";
  telegramMessageId?: number | null;
  error?: string | null;
  attempts: number;
}

/** Final (or updated) outcomes reported by a chat object. Idempotent: re-applying sets the same values. */
export async function recordDeliveryOutcomes(db: Db, chatId: string, outcomes: DeliveryOutcome[], now: number): Promise<void> {
  const stmts = outcomes.map((o) =>
    db
      .update(deliveries)
      .set({
        status: o.status,
        telegramMessageId: o.telegramMessageId ?? null,
        error: o.error ?? null,
        attempts: o.attempts,
        updatedAt: now,
      })
      .where(and(eq(deliveries.alertId, o.alertId), eq(deliveries.chatId, chatId))),
  );
  for (let i = 0; i < stmts.length; i += 50) {
    const chunk = stmts.slice(i, i + 50);
    if (chunk.length) await db.batch(chunk as [(typeof chunk)[number], ...(typeof chunk)[number][]]);
  }
}

/** Deliveries of some alerts, for the admin page. */
export async function deliveriesOf(db: Db, alertIds: number[]) {
  if (alertIds.length === 0) return [];
  return db.select().from(deliveries).where(inArray(deliveries.alertId, alertIds));
}

/** Retention: drops alerts (and their deliveries) that occurred before `before`. */
export async function purgeAlerts(db: Db, before: number): Promise<void> {
  await db.batch([
    db.delete(deliveries).where(sql`${deliveries.alertId} IN (SELECT id FROM alerts WHERE occurred_at < ${before})`),
    db.delete(alerts).where(sql`${alerts.occurredAt} < ${before}`),
  ]);
}
