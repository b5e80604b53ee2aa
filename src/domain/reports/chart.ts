/**
 * The picture of a sales-by-hour report: revenue per hour as bars, sent as a
 * photo after the report's text (which stays the accessible version). The
 * caption says in the chat's language what the bars are; the picture itself
 * carries only hours and amounts.
 */
import type { Report } from "../../protocol/report";
import { type BarSeries, barChartPng } from "../chart/bar-chart";
import { toBase64 } from "../chart/png";
import type { Language } from "../chat-settings";
import { escapeHtml, fitHtml, TELEGRAM_CAPTION_LIMIT } from "../format/html";
import { formatMoney, minorDigits } from "../format/money";
import { zonedParts } from "../format/time";
import { currencySign } from "./cells";
import { phrase } from "./i18n";
import { periodLabel } from "./period";
import { cleanCell } from "./width";

const HOUR_TEXT = /^(\d{1,2})(?::\d{2})?(?:\s*[-–].*)?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An hour cell ("09:00", "9", "09:00–10:00", 9, or an instant) as its hour 0–23; null when it is not one. */
function hourOf(cell: unknown, timeZone: string): number | null {
  if (typeof cell === "number") return Number.isInteger(cell) && cell >= 0 && cell < 24 ? cell : null;
  if (typeof cell !== "string") return null;
  const t = cell.trim();
  if (ISO_INSTANT.test(t) && !Number.isNaN(Date.parse(t))) return zonedParts(Date.parse(t), timeZone).hour;
  const m = HOUR_TEXT.exec(t);
  const h = m ? Number(m[1]) : NaN;
  return h >= 0 && h < 24 ? h : null;
}

export interface HourlyPoint {
  hour: number;
  /** Minor units of the report's currency. */
  amount: number;
}

/**
 * Revenue per hour from the report's first section that has an hour in its
 * first column and a money column; null when the report has none.
 */
export function hourlyPoints(report: Report, timeZone: string): HourlyPoint[] | null {
  for (const s of report.sections) {
    const money = s.columns.findIndex((c) => c.type === "money");
    if (money < 0 || s.rows.length === 0) continue;
    const points: HourlyPoint[] = [];
    for (const row of s.rows) {
      const hour = hourOf(row[0], timeZone);
      if (hour === null) {
        points.length = 0;
        break;
      }
      const amount = row[money];
      points.push({ hour, amount: typeof amount === "number" && Number.isFinite(amount) ? amount : 0 });
    }
    if (points.length > 0) return points;
  }
  return null;
}

export interface ChartPhoto {
  pngBase64: string;
  /** Telegram HTML, within the 1,024-character caption limit. */
  caption: string;
}

export interface ChartContext {
  restaurantName: string;
  timezone: string;
  lang: Language;
}

/** The hourly chart of a report as a photo; null when the report has no hourly figures. */
export async function hourlyChart(report: Report, ctx: ChartContext): Promise<ChartPhoto | null> {
  const points = hourlyPoints(report, ctx.timezone);
  if (!points) return null;
  const major = 10 ** minorDigits(report.currency);
  const series: BarSeries = {
    labels: points.map((p) => String(p.hour).padStart(2, "0")),
    values: points.map((p) => p.amount / major),
  };
  const png = await barChartPng(series);
  const peak = points.reduce((best, p) => (p.amount > best.amount ? p : best), points[0]!);
  const lines = [
    `📈 <b>${escapeHtml(phrase("chartCaption", ctx.lang, { title: cleanCell(ctx.restaurantName), currency: currencySign(report.currency, ctx.lang) }))}</b>`,
    escapeHtml(periodLabel(report.period, ctx.timezone, ctx.lang)),
  ];
  if (peak.amount > 0) lines.push(escapeHtml(`${phrase("peak", ctx.lang)}: ${String(peak.hour).padStart(2, "0")}:00 — ${formatMoney(peak.amount, report.currency, ctx.lang)}`));
  return { pngBase64: toBase64(png), caption: fitHtml(lines.filter(Boolean).join("\n"), TELEGRAM_CAPTION_LIMIT) };
}
