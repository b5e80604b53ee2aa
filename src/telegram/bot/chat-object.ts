/**
 * The chat's delivery object (src/objects/chat-object.ts) hears from the bot
 * when Telegram says the chat is usable again (bot re-added, chat re-linked,
 * group migrated), so a paused queue carries on.
 */
import type { Env } from "../../env";

export async function resumeChatObject(env: Env, chatId: string): Promise<void> {
  try {
    // `resume` is added by the delivery engine; an object without it has nothing paused.
    const stub = env.CHAT.getByName(chatId) as unknown as { resume(): Promise<unknown> };
    await stub.resume();
  } catch (err) {
    console.warn(`chat ${chatId}: resume failed:`, err instanceof Error ? err.message : err);
  }
}
