/**
 * A restaurant's event journal with what happened to each alert: the journal
 * comes from the restaurant's object (complete, for its retention period),
 * deliveries from D1. This is how support answers "why didn't I get it?".
 */
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { database } from "../db/client";
import { alerts, chats, deliveries, restaurants } from "../db/schema";
import { recordsDb } from "../db/shards";
import type { Env } from "../env";
import { notFound } from "../lib/errors";

export const JournalQuery = z.object({
  type: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().optional(),
});

export async function journalPage(env: Env, restaurantId: string, q: z.output<typeof JournalQuery>) {
  const db = database(env.DB);
  const [r] = await db.select({ id: restaurants.id }).from(restaurants).where(eq(restaurants.id, restaurantId));
  if (!r) throw notFound("restaurant");
  const rows = await env.RESTAURANT.getByName(restaurantId).listJournal({
    type: q.type,
    from: q.from ? Date.parse(q.from) : undefined,
    to: q.to ? Date.parse(q.to) : undefined,
    limit: q.limit,
    before: q.before,
  });
  const keys = rows.map((j) => `${restaurantId}:${j.source}:${j.event_id}`);
  // Alerts and deliveries live in the restaurant's records shard, chats in the directory: two reads, no join.
  const records = recordsDb(env, restaurantId);
  const alertRows = await inSlices(keys, (k) => records.select({ id: alerts.id, key: alerts.key }).from(alerts).where(inArray(alerts.key, k)));
  const idByKey = new Map(alertRows.map((a) => [a.key, a.id]));
  const ids = alertRows.map((a) => a.id);
  const dels = await inSlices(ids, (i) => records.select().from(deliveries).where(inArray(deliveries.alertId, i)));
  const chatIds = [...new Set(dels.map((d) => d.chatId))];
  const chatRows = await inSlices(chatIds, (c) => db.select({ id: chats.id, title: chats.title, telegramChatId: chats.telegramChatId }).from(chats).where(inArray(chats.id, c)));
  const chatById = new Map(chatRows.map((c) => [c.id, c]));
  return {
    events: rows.map((j) => {
      const alertId = idByKey.get(`${restaurantId}:${j.source}:${j.event_id}`) ?? null;
      return {
        journalId: j.id,
        source: j.source,
        id: j.event_id,
        seq: j.seq,
        type: j.type,
        occurredAt: new Date(j.occurred_at).toISOString(),
        receivedAt: new Date(j.received_at).toISOString(),
        event: JSON.parse(j.body) as unknown,
        alertId,
        deliveries: dels
          .filter((d) => d.alertId === alertId)
          .map((d) => ({
            chatId: d.chatId,
            chatTitle: chatById.get(d.chatId)?.title ?? null,
            telegramChatId: chatById.get(d.chatId)?.telegramChatId ?? null,
            status: d.status,
            error: d.error,
            telegramMessageId: d.telegramMessageId,
            attempts: d.attempts,
            updatedAt: new Date(d.updatedAt).toISOString(),
          })),
      };
    }),
    next: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
  };
}

/** D1 binds at most 100 parameters per statement, and a page holds up to 500 events: look them up in slices. */
async function inSlices<T, R>(values: T[], query: (slice: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += 90) out.push(...(await query(values.slice(i, i + 90))));
  return out;
}
