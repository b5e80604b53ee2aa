/**
 * Telegram's own news about a chat: the bot removed or blocked (the chat goes
 * inactive: deliveries to it stop and are recorded as skipped), re-added (active
 * again, its queue resumes), a group upgraded to a supergroup (the chat follows
 * to the new Telegram id with its links and settings).
 */
import { Composer } from "grammy";
import { linksOf, migrateChat, setChatStatus } from "../../db/chats";
import { deactivateChatObject, resumeChatObject } from "./chat-object";
import type { BotContext } from "./context";
import { helpText } from "./guards";

export const chatEvents = new Composer<BotContext>();

chatEvents.on("my_chat_member", async (ctx) => {
  const update = ctx.myChatMember;
  const was = update.old_chat_member.status;
  const now = update.new_chat_member.status;
  const gone = (s: string) => s === "left" || s === "kicked";
  const tw = ctx.tillwatch;
  if (gone(now)) {
    // In a private chat "kicked" means the person blocked the bot.
    const reason = update.chat.type === "private" ? (now === "kicked" ? "blocked" : "left") : now;
    const chat = await setChatStatus(tw.db, update.chat.id, "inactive", reason, actorOf(ctx));
    if (chat) await deactivateChatObject(tw.env, chat.id, reason);
    return;
  }
  if (!gone(was)) return;
  const chat = await setChatStatus(tw.db, update.chat.id, "active", null, actorOf(ctx));
  tw.reloadChat();
  if (chat) await resumeChatObject(tw.env, chat);
  // Added to a group (again): say how to link; a linked chat just carries on.
  if (update.chat.type !== "private" && update.chat.type !== "channel") {
    const row = await tw.chat();
    const linked = row ? (await linksOf(tw.db, row.id)).length > 0 : false;
    if (!linked) {
      const t = await tw.texts();
      await ctx.reply(`${t.welcome}\n\n${helpText(ctx, t, false)}`, { parse_mode: "HTML" });
    }
  }
});

// Sent in the old group…
chatEvents.on("message:migrate_to_chat_id", async (ctx) => {
  await followMigration(ctx, ctx.chat.id, ctx.message.migrate_to_chat_id);
});
// …and in the new supergroup; whichever arrives first moves the chat, the other finds it moved.
chatEvents.on("message:migrate_from_chat_id", async (ctx) => {
  await followMigration(ctx, ctx.message.migrate_from_chat_id, ctx.chat.id);
});

async function followMigration(ctx: BotContext, from: number, to: number): Promise<void> {
  const chat = await migrateChat(ctx.tillwatch.db, from, to);
  ctx.tillwatch.reloadChat();
  if (chat) await resumeChatObject(ctx.tillwatch.env, chat);
}

const actorOf = (ctx: BotContext) => (ctx.from ? `telegram:${ctx.from.id}` : "telegram");
