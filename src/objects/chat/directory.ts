/**
 * What a chat object writes to D1, always from its outbox and always
 * idempotent: delivery outcomes into the records shard of each alert's
 * restaurant, and the chat's own changes (inactive, migrated) into the
 * directory's `chats` row.
 */
import { and, eq, sql } from "drizzle-orm";
import { recordDeliveryOutcomes, type DeliveryOutcome } from "../../db/alerts";
import { database } from "../../db/client";
import { chats } from "../../db/schema";
import { recordsDb } from "../../db/shards";
import type { Env } from "../../env";

export type ChatChange =
  | { kind: "status"; chatId: string; status: "active" | "inactive"; reason: string | null }
  | { kind: "migration"; chatId: string; from: number; to: number };

export async function writeOutcomes(env: Env, chatId: string, byRestaurant: Map<string, DeliveryOutcome[]>, now: number): Promise<void> {
  for (const [restaurantId, outcomes] of byRestaurant) {
    await recordDeliveryOutcomes(recordsDb(env, restaurantId), chatId, outcomes, now);
  }
}

export async function writeChatChange(env: Env, change: ChatChange, now: number): Promise<void> {
  const db = database(env.DB);
  if (change.kind === "status") {
    await db
      .update(chats)
      .set({ status: change.status, statusReason: change.reason, updatedAt: now })
      .where(eq(chats.id, change.chatId));
    return;
  }
  // Only from the id we knew, and never onto an id another chat row already holds
  // (the bot may have met the new supergroup first); both make a re-run a no-op.
  await db
    .update(chats)
    .set({ telegramChatId: change.to, type: "supergroup", updatedAt: now })
    .where(
      and(
        eq(chats.id, change.chatId),
        eq(chats.telegramChatId, change.from),
        sql`NOT EXISTS (SELECT 1 FROM chats AS other WHERE other.telegram_chat_id = ${change.to})`,
      ),
    );
}
