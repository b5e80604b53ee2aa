/**
 * What a chat reads after asking for a report: the report itself (one or more
 * messages, plus the hourly chart), or one clear sentence saying why not —
 * the till is offline (and since when), did not answer in time, or refused.
 */
import type { Report, ReportKind } from "../../protocol/report";
import type { Language } from "../chat-settings";
import { escapeHtml, fitHtml, TELEGRAM_TEXT_LIMIT } from "../format/html";
import { formatDateTime } from "../format/time";
import { type ChartPhoto, hourlyChart } from "./chart";
import { phrase, reportTitle } from "./i18n";
import { renderReport } from "./render";
import { cleanCell } from "./width";

/** The restaurant object's answer to a report request (src/objects/restaurant/link-requests.ts). */
export type ReportAnswer =
  | { ok: true; report: Report }
  | { ok: false; reason: "offline"; lastSeenAt: number | null }
  | { ok: false; reason: "timeout" }
  | { ok: false; reason: "agent_error"; message: string };

export interface AnswerContext {
  restaurantName: string;
  timezone: string;
  lang: Language;
  /** What was asked, for the heading of a failure message. */
  kind: ReportKind;
  /** How the period was put in the menu ("Today", "20.11.2026"), for the same heading. */
  periodText: string;
  /** How long the till was given, for the timeout message. */
  timeoutMs: number;
}

export interface RenderedAnswer {
  ok: boolean;
  /** Telegram HTML messages, each within 4,096 characters; the first replaces the "requesting…" message. */
  messages: string[];
  /** The hourly chart, sent after the text. */
  photo: ChartPhoto | null;
}

/** The heading of the menu's last steps and of a failure: report, restaurant, period. */
export function requestHeading(ctx: Pick<AnswerContext, "restaurantName" | "lang" | "kind" | "periodText">): string {
  return [`📊 <b>${escapeHtml(reportTitle(ctx.kind, ctx.lang))}</b>`, `🏠 ${escapeHtml(cleanCell(ctx.restaurantName))}`, `🗓 ${escapeHtml(ctx.periodText)}`].join("\n");
}

export function requestingText(ctx: Pick<AnswerContext, "restaurantName" | "lang" | "kind" | "periodText">): string {
  return `${requestHeading(ctx)}\n\n${escapeHtml(phrase("requesting", ctx.lang))}`;
}

export async function renderAnswer(answer: ReportAnswer, ctx: AnswerContext): Promise<RenderedAnswer> {
  if (answer.ok) {
    const view = { restaurantName: ctx.restaurantName, timezone: ctx.timezone, lang: ctx.lang };
    const messages = renderReport(answer.report, view);
    const photo = answer.report.kind === "hourly" ? await hourlyChart(answer.report, view) : null;
    return { ok: true, messages, photo };
  }
  let why: string;
  switch (answer.reason) {
    case "offline":
      why =
        answer.lastSeenAt === null
          ? phrase("offlineNever", ctx.lang)
          : phrase("offline", ctx.lang, { seen: formatDateTime(answer.lastSeenAt, ctx.timezone, ctx.lang) });
      break;
    case "timeout":
      why = phrase("timeout", ctx.lang, { seconds: Math.round(ctx.timeoutMs / 1000) });
      break;
    case "agent_error":
      why = phrase("agentError", ctx.lang, { message: cleanCell(answer.message).slice(0, 500) });
      break;
  }
  return { ok: false, messages: [fitHtml(`${requestHeading(ctx)}\n\n${escapeHtml(why)}`, TELEGRAM_TEXT_LIMIT)], photo: null };
}
