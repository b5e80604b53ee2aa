/**
 * The automatic report at shift close: the agent sends `shift.closed`, then
 * one `report.shift` event per report the restaurant's POS is configured to
 * send (the agent's `--auto-reports`, default balance, dishes, hourly,
 * discounts, deletions). Each event becomes one message group for a chat:
 * the report's tables (cut at row boundaries, each part headed so it reads
 * alone) and, for the hourly report, its chart as a photo sent right after
 * the last part's text.
 */
import { Report } from "../../protocol/report";
import type { Language } from "../chat-settings";
import { escapeHtml } from "../format/html";
import type { OutgoingMessage } from "../outgoing";
import { hourlyChart } from "./chart";
import { phrase } from "./i18n";
import { renderReport } from "./render";

export interface ShiftReportContext {
  restaurant: { id: string; name: string; timezone: string };
  lang: Language;
  alertId: number;
  /** When the shift closed (the event's time), for ordering. */
  occurredAt: number;
  /** The alert's digest line: report parts are never digested, but every message carries one. */
  digestLine: string;
}

/**
 * The report's message group, or null when `data.report` does not read as a
 * report (the journal keeps the event as sent; the caller then sends the
 * plain alert instead).
 */
export async function renderShiftReport(data: unknown, ctx: ShiftReportContext): Promise<OutgoingMessage[] | null> {
  const parsed = Report.safeParse(data);
  if (!parsed.success) return null;
  const report = parsed.data;
  const n = report.period.shift?.number;
  const headline = `<i>${escapeHtml(n === undefined ? phrase("autoReportNoNumber", ctx.lang) : phrase("autoReport", ctx.lang, { n }))}</i>`;
  const view = { restaurantName: ctx.restaurant.name, timezone: ctx.restaurant.timezone, lang: ctx.lang };
  const parts = renderReport(report, { ...view, headline });
  const photo = report.kind === "hourly" ? await hourlyChart(report, view) : null;
  return parts.map((html, i) => ({
    alertId: ctx.alertId,
    restaurantId: ctx.restaurant.id,
    part: i,
    kind: "report",
    html,
    digestLine: ctx.digestLine,
    risky: false,
    occurredAt: ctx.occurredAt,
    noDigest: true,
    ...(photo && i === parts.length - 1 ? { photo } : {}),
  }));
}
