/** /start and /help: what the bot does and how to link a chat. `/start <code>` (a t.me deep link) links at once. */
import { Composer } from "grammy";
import { linksOf } from "../../db/chats";
import type { BotContext } from "./context";
import { helpText } from "./guards";
import { linkChat, looksLikeLinkCode } from "./link";

export const start = new Composer<BotContext>();

async function sendHelp(ctx: BotContext, greet: boolean): Promise<void> {
  const tw = ctx.tillwatch;
  const chat = await tw.chat();
  const linked = chat ? (await linksOf(tw.db, chat.id)).length > 0 : false;
  const t = await tw.texts();
  await ctx.reply((greet ? `${t.welcome}\n\n` : "") + helpText(ctx, t, linked), { parse_mode: "HTML" });
}

start.command("start", async (ctx) => {
  const payload = ctx.match.trim();
  if (payload && looksLikeLinkCode(payload)) return linkChat(ctx, payload);
  await sendHelp(ctx, true);
});

start.command("help", (ctx) => sendHelp(ctx, false));
