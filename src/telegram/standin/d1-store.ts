/**
 * The stand-in's record of what the bot sent, in D1 `standin_messages`.
 * Message ids are allocated per chat inside the one INSERT statement, so two
 * concurrent sends to a chat never get the same id.
 */
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { standinMessages } from "../../db/schema";
import type { StandinRecord, StandinStore } from "./bot-api";

export function d1StandinStore(d1: D1Database): StandinStore {
  return {
    async record(r: StandinRecord): Promise<number> {
      const row = await d1
        .prepare(
          `INSERT INTO standin_messages (telegram_chat_id, method, message_id, payload)
           SELECT ?1, ?2, COALESCE(MAX(message_id), 0) + 1, ?3 FROM standin_messages WHERE telegram_chat_id = ?1
           RETURNING message_id`,
        )
        .bind(r.telegramChatId, r.method, JSON.stringify(r.payload))
        .first<{ message_id: number }>();
      return row!.message_id;
    },
    async recordChange(r): Promise<void> {
      await d1
        .prepare("INSERT INTO standin_messages (telegram_chat_id, method, message_id, payload) VALUES (?, ?, ?, ?)")
        .bind(r.telegramChatId, r.method, r.messageId, JSON.stringify(r.payload))
        .run();
    },
  };
}

export interface StandinMessageView {
  id: number;
  telegramChatId: number;
  method: string;
  messageId: number;
  payload: Record<string, unknown>;
  createdAt: number;
}

/**
 * What the stand-in recorded, oldest first, after row id `after`; optionally
 * for one chat. `newest`: the last `limit` rows instead of the first (still oldest first).
 */
export async function listStandinMessages(
  db: Db,
  opts: { telegramChatId?: number; after?: number; limit?: number; newest?: boolean },
): Promise<StandinMessageView[]> {
  const where = [gt(standinMessages.id, opts.after ?? 0)];
  if (opts.telegramChatId !== undefined) where.push(eq(standinMessages.telegramChatId, opts.telegramChatId));
  const rows = await db
    .select()
    .from(standinMessages)
    .where(and(...where))
    .orderBy(opts.newest ? desc(standinMessages.id) : asc(standinMessages.id))
    .limit(Math.min(Math.max(opts.limit ?? 200, 1), 1000));
  if (opts.newest) rows.reverse();
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

/** The chats the stand-in has seen, most recently active first. */
export async function standinChats(db: Db, limit = 50): Promise<number[]> {
  const rows = await db
    .select({ chat: standinMessages.telegramChatId, last: sql<number>`MAX(${standinMessages.id})` })
    .from(standinMessages)
    .groupBy(standinMessages.telegramChatId)
    .orderBy(sql`2 DESC`)
    .limit(limit);
  return rows.map((r) => r.chat);
}
