/**
 * /unlink: removes one of the chat's links — at once when there is only one,
 * else chosen from an inline keyboard. Groups: administrators only.
 */
import { Composer } from "grammy";
import { deleteLink, type LinkView, linksOf } from "../../db/chats";
import { parseUnlinkData, unlinkData } from "./callback-data";
import type { BotContext } from "./context";
import { requireLinked, requireManager } from "./guards";
import type { BotTexts } from "./texts";

export const unlink = new Composer<BotContext>();

const actor = (ctx: BotContext) => (ctx.from ? `telegram:${ctx.from.id}` : "telegram");
const label = (t: BotTexts, l: LinkView) => (l.scope === "account" ? t.unlink.accountLabel(l.name) : l.name);

unlink.command("unlink", async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked || !(await requireManager(ctx))) return;
  const t = await ctx.tillwatch.texts();
  const { chat, links } = linked;
  if (links.length === 1) {
    const only = links[0]!;
    await deleteLink(ctx.tillwatch.db, chat.id, only.linkId, actor(ctx));
    await ctx.reply(t.unlink.done(label(t, only)), { parse_mode: "HTML" });
    return;
  }
  await ctx.reply(t.unlink.choose, {
    reply_markup: {
      inline_keyboard: [
        ...links.map((l) => [{ text: label(t, l), callback_data: unlinkData({ kind: "unlink", linkId: l.linkId }) }]),
        [{ text: t.unlink.cancel, callback_data: unlinkData({ kind: "cancel" }) }],
      ],
    },
  });
});

unlink.callbackQuery(/^ul:/, async (ctx) => {
  const tw = ctx.tillwatch;
  const t = await tw.texts();
  const action = parseUnlinkData(ctx.callbackQuery.data);
  const chat = await tw.chat();
  if (!action || !chat) {
    await ctx.answerCallbackQuery({ text: t.settings.stale });
    return;
  }
  if (!(await requireManager(ctx))) return;
  if (action.kind === "cancel") {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(t.unlink.cancelled);
    return;
  }
  // Only a link of this very chat can go: deleteLink matches the chat id too.
  const target = (await linksOf(tw.db, chat.id)).find((l) => l.linkId === action.linkId);
  const removed = target ? await deleteLink(tw.db, chat.id, target.linkId, actor(ctx)) : false;
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(removed && target ? t.unlink.done(label(t, target)) : t.unlink.gone, { parse_mode: "HTML" });
});
