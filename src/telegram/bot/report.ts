/**
 * /report: any report of any restaurant the chat sees, at any moment. One
 * menu message is edited in place through the choices, then into
 * "requesting…", then into the report (a long report continues in further
 * messages; the hourly report is followed by its chart as a photo).
 *
 * The tap is answered at once ("requesting…"); the till's answer (at most
 * REPORT_TIMEOUT_MS, 28 s) is awaited after the webhook has answered Telegram
 * (`later`, background.ts), so a slow till never holds the chat's next
 * updates. A re-sent update is skipped by the webhook's update-id check, so
 * it never asks the till twice.
 */
import { Composer, GrammyError } from "grammy";
import { type Language, readChatSettings } from "../../domain/chat-settings";
import { escapeHtml } from "../../domain/format/html";
import { renderAnswer, requestingText } from "../../domain/reports/answer";
import { followUpRef, reportFollowUps } from "../../domain/reports/follow-ups";
import { phrase, reportTitle } from "../../domain/reports/i18n";
import type { ReportKind } from "../../protocol/report";
import { askRestaurant, mayRequest, reportRestaurants, reportTimeoutMs, resolvePeriod } from "../../services/reports";
import { targetOf } from "./chat-object";
import type { BotContext } from "./context";
import { ignoreUnchanged } from "./edits";
import { requireLinked } from "./guards";
import {
  datesMenu,
  failureKeyboard,
  type MenuView,
  parseReportData,
  periodsMenu,
  periodText,
  type ReportAction,
  reportsMenu,
  restaurantsMenu,
} from "./report-menu";

export const report = new Composer<BotContext>();

/** Names reports in the /settings screen that chooses which ones the chat offers. */
export { reportTitle };

report.command("report", async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const settings = readChatSettings(linked.chat.settings);
  const view = await homeView(ctx, linked.chat.id, settings.language, settings.reports);
  await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
});

report.callbackQuery(/^rp:/, async (ctx) => {
  const tw = ctx.tillwatch;
  const action = parseReportData(ctx.callbackQuery.data);
  const chat = await tw.chat();
  const lang = await tw.lang();
  if (!action || !chat) {
    await ctx.answerCallbackQuery({ text: phrase("stale", lang) });
    return;
  }
  const settings = readChatSettings(chat.settings);
  if (action.kind === "close") {
    await ctx.answerCallbackQuery();
    await ignoreUnchanged(ctx.editMessageText(phrase("closed", lang)));
    return;
  }
  if (action.kind === "home") {
    await ctx.answerCallbackQuery();
    await show(ctx, await homeView(ctx, chat.id, lang, settings.reports));
    return;
  }
  // Every step that names a restaurant and a report is checked against the chat's links and settings.
  const kind = action.kind === "restaurant" ? settings.reports[0] : action.report;
  const permission = kind ? await mayRequest(tw.db, chat.id, settings, action.restaurantId, kind) : { ok: false as const };
  if (!permission.ok) {
    await ctx.answerCallbackQuery({ text: phrase("notAllowed", lang), show_alert: true });
    return;
  }
  const restaurant = permission.restaurant;
  switch (action.kind) {
    case "restaurant": {
      await ctx.answerCallbackQuery();
      const several = (await reportRestaurants(tw.db, chat.id)).length > 1;
      await show(ctx, reportsMenu(restaurant, settings.reports, lang, several));
      return;
    }
    case "report":
      await ctx.answerCallbackQuery();
      await show(ctx, periodsMenu(restaurant, action.report, lang));
      return;
    case "dates":
      await ctx.answerCallbackQuery();
      await show(ctx, datesMenu(restaurant, action.report, action.page, lang, Date.now()));
      return;
    case "run":
      await ctx.answerCallbackQuery();
      await run(ctx, action, restaurant, lang);
      return;
  }
});

async function homeView(ctx: BotContext, chatId: string, lang: Language, offered: readonly ReportKind[]): Promise<MenuView> {
  const restaurants = await reportRestaurants(ctx.tillwatch.db, chatId);
  if (offered.length === 0 || restaurants.length === 0) return { text: escapeHtml(phrase(offered.length === 0 ? "noReports" : "noRestaurants", lang)), keyboard: { inline_keyboard: [] } };
  return restaurants.length === 1 ? reportsMenu(restaurants[0]!, offered, lang, false) : restaurantsMenu(restaurants, lang);
}

async function run(
  ctx: BotContext,
  action: Extract<ReportAction, { kind: "run" }>,
  restaurant: { id: string; name: string; timezone: string },
  lang: Language,
): Promise<void> {
  const heading = { restaurantName: restaurant.name, lang, kind: action.report, periodText: periodText(action.period, restaurant.timezone, lang) };
  await ignoreUnchanged(ctx.editMessageText(requestingText(heading), { parse_mode: "HTML" }));
  // The till may take up to REPORT_TIMEOUT_MS: answer Telegram now and finish after.
  await ctx.tillwatch.later(() => deliver(ctx, action, restaurant, heading));
}

async function deliver(
  ctx: BotContext,
  action: Extract<ReportAction, { kind: "run" }>,
  restaurant: { id: string; name: string; timezone: string },
  heading: Parameters<typeof requestingText>[0],
): Promise<void> {
  const env = ctx.tillwatch.env;
  const lang = heading.lang;
  const answer = await askRestaurant(env, restaurant.id, action.report, resolvePeriod(action.period, restaurant.timezone));
  const rendered = await renderAnswer(answer, { ...heading, timezone: restaurant.timezone, timeoutMs: reportTimeoutMs(env) });
  const chatId = ctx.chat!.id;
  const [first, ...rest] = rendered.messages;
  const markup = rendered.ok ? undefined : failureKeyboard(action, lang);
  try {
    await ctx.editMessageText(first!, { parse_mode: "HTML", ...(markup ? { reply_markup: markup } : {}) });
  } catch (err) {
    // The menu message is gone or too old to edit: the report still arrives, as a new message.
    if (!(err instanceof GrammyError)) throw err;
    await ctx.api.sendMessage(chatId, first!, { parse_mode: "HTML", ...(markup ? { reply_markup: markup } : {}) });
  }
  // The rest (further parts, the chart) through the chat's delivery queue: paced, retried, never dropped.
  const followUps = reportFollowUps(rest, rendered.photo, { restaurantId: restaurant.id, ref: followUpRef(Date.now()), now: Date.now() });
  const chat = await ctx.tillwatch.chat();
  if (followUps.length > 0 && chat) await env.CHAT.getByName(chat.id).enqueue(targetOf(chat), followUps);
}

async function show(ctx: BotContext, view: MenuView): Promise<void> {
  await ignoreUnchanged(ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }));
}

