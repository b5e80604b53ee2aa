/**
 * A restaurant's event journal with what happened to each alert: the journal
 * comes from the restaurant's object (complete, for its retention period),
 * deliveries from D1. This is how support answers "why didn't I get it?".
 */
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { database } from "../db/client";
import { alerts, chats, deliveries, restaurants } from "../db/schema";
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
  const alertRows = keys.length ? await db.select({ id: alerts.id, key: alerts.key }).from(alerts).where(inArray(alerts.key, keys)) : [];
  const idByKey = new Map(alertRows.map((a) => [a.key, a.id]));
  const ids = alertRows.map((a) => a.id);
  const dels = ids.length
    ? await db
        .select({
          alertId: deliveries.alertId,
          chatId: deliveries.chatId,
          chatTitle: chats.title,
          telegramChatId: chats.telegramChatId,
          status: deliveries.status,
          error: deliveries.error,
          telegramMessageId: deliveries.telegramMessageId,
          updatedAt: deliveries.updatedAt,
        })
        .from(deliveries)
        .leftJoin(chats, eq(chats.id, deliveries.chatId))
        .where(inArray(deliveries.alertId, ids))
    : [];
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
          .map((d) => ({ ...d, updatedAt: new Date(d.updatedAt).toISOString() })),
      };
    }),
    next: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
  };
}
