/**
 * Checks most commands start with: is this chat linked (an unlinked chat gets
 * help, never data), and may this person change things here.
 */
import { type ChatRow, type LinkView, linksOf } from "../../db/chats";
import type { BotContext } from "./context";

/** The chat and its links; or null after telling an unlinked chat how to link. */
export async function requireLinked(ctx: BotContext): Promise<{ chat: ChatRow; links: LinkView[] } | null> {
  const tw = ctx.tillwatch;
  const chat = await tw.chat();
  const links = chat ? await linksOf(tw.db, chat.id) : [];
  if (chat && links.length > 0) return { chat, links };
  const t = await tw.texts();
  await ctx.reply(`${t.notLinked}\n\n${helpText(ctx, t, false)}`, { parse_mode: "HTML" });
  return null;
}

/** True when the sender may manage the chat; otherwise says so (as an alert for a button tap) and returns false. */
export async function requireManager(ctx: BotContext): Promise<boolean> {
  if (await ctx.tillwatch.canManage()) return true;
  const t = await ctx.tillwatch.texts();
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t.adminsOnly, show_alert: true });
  else await ctx.reply(t.adminsOnly);
  return false;
}

export function helpText(ctx: BotContext, t: Awaited<ReturnType<BotContext["tillwatch"]["texts"]>>, linked: boolean): string {
  const type = ctx.chat?.type;
  return t.help({ linked, isGroup: type === "group" || type === "supergroup", report: ctx.tillwatch.features.report });
}

/** What to call the chat in lists: a group's title, a person's name. */
export function chatTitle(ctx: BotContext): string | null {
  const c = ctx.chat;
  if (!c) return null;
  if (c.type !== "private") return c.title ?? null;
  const name = [c.first_name, c.last_name].filter(Boolean).join(" ");
  return name || (c.username ? `@${c.username}` : null);
}
