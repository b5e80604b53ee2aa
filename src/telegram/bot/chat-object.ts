/**
 * The bot tells the chat's delivery object (src/objects/chat-object.ts) what
 * Telegram told it about the chat: removed or blocked (its queue stops, what is
 * queued is recorded as skipped), usable again — re-added, re-linked, or moved
 * to a new id by a group's migration (a paused queue carries on, to the new id).
 * D1 is written by the caller; a failure here is logged, not thrown, because
 * the object also learns of a 403 or a migration from its own next send.
 */
import type { ChatRow } from "../../db/chats";
import type { ChatTarget } from "../../domain/outgoing";
import type { Env } from "../../env";

/** What the bot needs of the chat object (its `resume` and `deactivate` RPCs, owned by the delivery engine). */
interface ChatQueueControl {
  resume(target: ChatTarget): Promise<void>;
  deactivate(reason: string): Promise<void>;
}
const queueOf = (env: Env, chatId: string) => env.CHAT.getByName(chatId) as unknown as ChatQueueControl;

export function targetOf(chat: ChatRow): ChatTarget {
  return { chatId: chat.id, telegramChatId: chat.telegramChatId, type: chat.type as ChatTarget["type"] };
}

export async function resumeChatObject(env: Env, chat: ChatRow): Promise<void> {
  try {
    await queueOf(env, chat.id).resume(targetOf(chat));
  } catch (err) {
    console.warn(`chat ${chat.id}: resume failed:`, err instanceof Error ? err.message : err);
  }
}

export async function deactivateChatObject(env: Env, chatId: string, reason: string): Promise<void> {
  try {
    await queueOf(env, chatId).deactivate(reason);
  } catch (err) {
    console.warn(`chat ${chatId}: deactivate failed:`, err instanceof Error ? err.message : err);
  }
}
