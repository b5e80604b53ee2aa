/**
 * /link <code>: links this chat to a restaurant (its local managers) or to an
 * owner's account (every restaurant). Groups: administrators only.
 */
import { Composer } from "grammy";
import { normalizeLinkCode } from "../../lib/ids";
import { redeemLinkCode } from "../../services/linking";
import type { BotContext } from "./context";
import { chatTitle, requireManager } from "./guards";
import { languageOfUser } from "./language";
import { resumeChatObject } from "./chat-object";

export const link = new Composer<BotContext>();

export const looksLikeLinkCode = (s: string) => /^[A-Z0-9]{5}-[A-Z0-9]{5}$/.test(normalizeLinkCode(s));

link.command("link", (ctx) => linkChat(ctx, ctx.match));

export async function linkChat(ctx: BotContext, input: string): Promise<void> {
  const tw = ctx.tillwatch;
  const chat = ctx.chat;
  if (!chat || chat.type === "channel") return;
  const code = input.trim();
  if (!code) {
    await ctx.reply((await tw.texts()).link.usage, { parse_mode: "HTML" });
    return;
  }
  if (!(await requireManager(ctx))) return;
  const before = await tw.chat();
  const result = await redeemLinkCode(tw.env, {
    code,
    telegramChatId: chat.id,
    chatType: chat.type,
    title: chatTitle(ctx),
    userId: ctx.from?.id ?? null,
    language: languageOfUser(ctx.from?.language_code),
  });
  tw.reloadChat();
  const t = (await tw.texts()).link;
  if (!result.ok) {
    await ctx.reply(t[result.reason]);
    return;
  }
  if (before?.status === "inactive") {
    const now = await tw.chat();
    if (now) await resumeChatObject(tw.env, now);
  }
  const text = result.alreadyLinked
    ? t.alreadyLinked(result.name)
    : result.scope === "restaurant"
      ? t.linkedRestaurant(result.name)
      : t.linkedAccount(result.name, result.restaurants);
  await ctx.reply(text, { parse_mode: "HTML" });
}
