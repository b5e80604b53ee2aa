/**
 * /settings: the chat's notification switches by group, language, the
 * service-print filter and the reports it offers — one message whose inline
 * keyboard is edited in place. Anyone may look; in groups only administrators
 * change anything. Service-print words: `/settings print банкет, banquet`, or a
 * reply to the bot's prompt.
 */
import { Composer } from "grammy";
import { updateChatSettings } from "../../db/chats";
import { CATALOGUE } from "../../domain/catalogue";
import { readChatSettings } from "../../domain/chat-settings";
import { REPORT_KINDS } from "../../protocol/report";
import { parseSettingsData, type SettingsAction, type SettingsGroup } from "./callback-data";
import type { BotContext } from "./context";
import { requireLinked, requireManager } from "./guards";
import { ignoreUnchanged } from "./edits";
import { applySettingsChange, type SettingsChange } from "./settings-change";
import { NO_REPORTS, parsePrintWords, type ReportChoices, renderSettings, type SettingsScreen } from "./settings-view";
import { PRINT_PROMPTS } from "./texts";

export const settings = new Composer<BotContext>();

function reportChoices(ctx: BotContext): ReportChoices {
  const { report, reportTitle } = ctx.tillwatch.features;
  return report && reportTitle ? { kinds: REPORT_KINDS, title: reportTitle } : NO_REPORTS;
}

settings.command("settings", async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const arg = ctx.match.trim();
  const print = /^(print|печать|друк)\b\s*(.*)$/isu.exec(arg);
  if (print) return setPrintWords(ctx, linked.chat.id, print[2] ?? "");
  const view = renderSettings({ kind: "main" }, readChatSettings(linked.chat.settings), reportChoices(ctx));
  await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
});

// A reply to the bot's "send me the words" prompt sets the service-print words.
settings.on("message:text", async (ctx, next) => {
  const replied = ctx.message.reply_to_message;
  if (!replied || replied.from?.id !== ctx.me.id || !PRINT_PROMPTS.includes(replied.text ?? "")) return next();
  const chat = await ctx.tillwatch.chat();
  if (!chat) return next();
  await setPrintWords(ctx, chat.id, ctx.message.text);
});

async function setPrintWords(ctx: BotContext, chatId: string, input: string): Promise<void> {
  if (!(await requireManager(ctx))) return;
  const t = (await ctx.tillwatch.texts()).settings;
  const words = parsePrintWords(input);
  if (words.length === 0) {
    await ctx.reply(t.printNoWords, { parse_mode: "HTML" });
    return;
  }
  await updateChatSettings(ctx.tillwatch.db, chatId, (json) => applySettingsChange(json, { kind: "printWords", words }));
  await ctx.reply(t.printSaved(words), { parse_mode: "HTML" });
}

settings.callbackQuery(/^st:/, async (ctx) => {
  const tw = ctx.tillwatch;
  const action = parseSettingsData(ctx.callbackQuery.data);
  const chat = await tw.chat();
  if (!action || !chat) {
    await ctx.answerCallbackQuery({ text: (await tw.texts()).settings.stale });
    return;
  }
  if (!(await requireManager(ctx))) return;

  if (action.kind === "printWords") {
    await ctx.answerCallbackQuery();
    const t = (await tw.texts()).settings;
    await ctx.reply(t.printPrompt, { reply_markup: { force_reply: true, selective: true } });
    return;
  }
  if (action.kind === "close") {
    await ctx.answerCallbackQuery({ text: (await tw.texts()).settings.saved });
    await ignoreUnchanged(ctx.editMessageText((await tw.texts()).settings.closed));
    return;
  }

  const change = changeOf(action);
  let json = chat.settings;
  if (change) {
    json = (await updateChatSettings(tw.db, chat.id, (current) => applySettingsChange(current, change))) ?? json;
    tw.reloadChat();
  }
  const current = readChatSettings(json);
  const view = renderSettings(screenAfter(action), current, reportChoices(ctx));
  await ctx.answerCallbackQuery(change ? { text: (await tw.texts()).settings.saved } : undefined);
  await ignoreUnchanged(ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }));
});

function changeOf(a: SettingsAction): SettingsChange | null {
  switch (a.kind) {
    case "toggle":
      return { kind: "toggle", type: a.type };
    case "language":
      return { kind: "language", language: a.language };
    case "printMode":
      return { kind: "printMode", mode: a.mode };
    case "report":
      return { kind: "report", report: a.report };
    default:
      return null;
  }
}

function screenAfter(a: SettingsAction): SettingsScreen {
  switch (a.kind) {
    case "group":
      return { kind: "group", group: a.group };
    case "toggle":
      return { kind: "group", group: groupOfToggle(a.type) };
    case "languages":
    case "language":
      return { kind: "languages" };
    case "print":
    case "printMode":
      return { kind: "print" };
    case "reports":
    case "report":
      return { kind: "reports" };
    default:
      return { kind: "main" };
  }
}

const groupOfToggle = (type: keyof typeof CATALOGUE) => CATALOGUE[type].group as SettingsGroup;

