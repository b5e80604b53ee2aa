/**
 * The stand-in's record of what the bot sent, in D1 `standin_messages`.
 * Message ids are allocated per chat inside the one INSERT statement, so two
 * concurrent sends to a chat never get the same id.
 */
import { and, asc, eq, gt } from "drizzle-orm";
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

/** What the stand-in recorded, oldest first, after row id `after`; optionally for one chat. */
export async function listStandinMessages(db: Db, opts: { telegramChatId?: number; after?: number; limit?: number }): Promise<StandinMessageView[]> {
  const where = [gt(standinMessages.id, opts.after ?? 0)];
  if (opts.telegramChatId !== undefined) where.push(eq(standinMessages.telegramChatId, opts.telegramChatId));
  const rows = await db
    .select()
    .from(standinMessages)
    .where(and(...where))
    .orderBy(asc(standinMessages.id))
    .limit(Math.min(Math.max(opts.limit ?? 200, 1), 1000));
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}
