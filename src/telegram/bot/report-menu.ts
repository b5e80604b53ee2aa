/**
 * The /report menu: its button payloads (prefix `rp:`) and its screens. The
 * menu is one message edited in place: restaurant (when the chat sees
 * several) → report → period → the report itself. Payloads carry the whole
 * choice so far, so any tap works after a restart; they are parsed strictly
 * and every choice is authorised again when the report is asked for.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { Language } from "../../domain/chat-settings";
import { escapeHtml } from "../../domain/format/html";
import { phrase, reportTitle } from "../../domain/reports/i18n";
import { type LocalDate, type PeriodChoice, dayBounds, localToday } from "../../domain/reports/period";
import { formatDate } from "../../domain/format/time";
import { REPORT_KINDS, type ReportKind } from "../../protocol/report";

export type PeriodPick = PeriodChoice | { date: LocalDate };

export type ReportAction =
  | { kind: "home" }
  | { kind: "close" }
  | { kind: "restaurant"; restaurantId: string }
  | { kind: "report"; restaurantId: string; report: ReportKind }
  | { kind: "dates"; restaurantId: string; report: ReportKind; page: number }
  | { kind: "run"; restaurantId: string; report: ReportKind; period: PeriodPick };

const RESTAURANT_ID = /^[0-9A-Za-z_-]{1,32}$/;
const CHOICE_CODES: Record<PeriodChoice, string> = { current: "c", last: "l", today: "t", yesterday: "y" };
/** Date pages go back this far (12 pages of 14 days: about half a year). */
export const MAX_DATE_PAGE = 12;
const DAYS_PER_PAGE = 14;

const dateCode = (d: LocalDate) => `${d.year}${String(d.month).padStart(2, "0")}${String(d.day).padStart(2, "0")}`;

function periodCode(p: PeriodPick): string {
  return typeof p === "string" ? CHOICE_CODES[p] : dateCode(p.date);
}

function parsePeriod(code: string): PeriodPick | null {
  for (const [choice, c] of Object.entries(CHOICE_CODES)) if (c === code) return choice as PeriodChoice;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(code);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return check.getUTCMonth() === date.month - 1 && check.getUTCDate() === date.day ? { date } : null;
}

export function reportData(a: ReportAction): string {
  switch (a.kind) {
    case "home":
      return "rp:h";
    case "close":
      return "rp:x";
    case "restaurant":
      return `rp:r:${a.restaurantId}`;
    case "report":
      return `rp:k:${a.restaurantId}:${a.report}`;
    case "dates":
      return `rp:d:${a.restaurantId}:${a.report}:${a.page}`;
    case "run":
      return `rp:p:${a.restaurantId}:${a.report}:${periodCode(a.period)}`;
  }
}

export function parseReportData(data: string): ReportAction | null {
  const [prefix, what, rid, kind, arg, ...rest] = data.split(":");
  if (prefix !== "rp" || rest.length > 0) return null;
  if (what === "h" || what === "x") return rid === undefined ? { kind: what === "h" ? "home" : "close" } : null;
  if (!rid || !RESTAURANT_ID.test(rid)) return null;
  if (what === "r") return kind === undefined ? { kind: "restaurant", restaurantId: rid } : null;
  const report = (REPORT_KINDS as readonly string[]).includes(kind ?? "") ? (kind as ReportKind) : null;
  if (!report) return null;
  if (what === "k") return arg === undefined ? { kind: "report", restaurantId: rid, report } : null;
  if (what === "d") {
    const page = Number(arg);
    return arg !== undefined && /^\d{1,2}$/.test(arg) && page <= MAX_DATE_PAGE ? { kind: "dates", restaurantId: rid, report, page } : null;
  }
  if (what === "p" && arg !== undefined) {
    const period = parsePeriod(arg);
    return period ? { kind: "run", restaurantId: rid, report, period } : null;
  }
  return null;
}

export interface MenuView {
  text: string;
  keyboard: InlineKeyboardMarkup;
}

const button = (text: string, action: ReportAction): InlineKeyboardButton => ({ text, callback_data: reportData(action) });
const rows = <T>(items: T[], per: number): T[][] => Array.from({ length: Math.ceil(items.length / per) }, (_, i) => items.slice(i * per, i * per + per));

/** Telegram allows 100 buttons; a very large owner chat sees the first ones by name. */
const MAX_RESTAURANT_BUTTONS = 90;

export function restaurantsMenu(restaurants: Array<{ id: string; name: string }>, lang: Language): MenuView {
  const buttons = restaurants.slice(0, MAX_RESTAURANT_BUTTONS).map((r) => [button(r.name.slice(0, 60), { kind: "restaurant", restaurantId: r.id })]);
  return { text: escapeHtml(phrase("chooseRestaurant", lang)), keyboard: { inline_keyboard: [...buttons, [button(phrase("close", lang), { kind: "close" })]] } };
}

export function reportsMenu(restaurant: { id: string; name: string }, offered: readonly ReportKind[], lang: Language, several: boolean): MenuView {
  const kinds = REPORT_KINDS.filter((k) => offered.includes(k));
  const buttons = rows(
    kinds.map((k) => button(reportTitle(k, lang), { kind: "report", restaurantId: restaurant.id, report: k })),
    2,
  );
  const nav = [...(several ? [button(phrase("back", lang), { kind: "home" })] : []), button(phrase("close", lang), { kind: "close" })];
  return { text: `${escapeHtml(phrase("chooseReport", lang))}\n🏠 ${escapeHtml(restaurant.name)}`, keyboard: { inline_keyboard: [...buttons, nav] } };
}

export function periodsMenu(restaurant: { id: string; name: string }, report: ReportKind, lang: Language): MenuView {
  const run = (period: PeriodPick) => ({ kind: "run", restaurantId: restaurant.id, report, period }) as const;
  return {
    text: `${escapeHtml(phrase("choosePeriod", lang))}\n📊 ${escapeHtml(reportTitle(report, lang))}\n🏠 ${escapeHtml(restaurant.name)}`,
    keyboard: {
      inline_keyboard: [
        [button(phrase("choiceCurrentShift", lang), run("current")), button(phrase("choiceLastShift", lang), run("last"))],
        [button(phrase("choiceToday", lang), run("today")), button(phrase("choiceYesterday", lang), run("yesterday"))],
        [button(phrase("choiceDate", lang), { kind: "dates", restaurantId: restaurant.id, report, page: 0 })],
        [button(phrase("back", lang), { kind: "restaurant", restaurantId: restaurant.id }), button(phrase("close", lang), { kind: "close" })],
      ],
    },
  };
}

/** Two weeks of dates per page, newest first, starting the day before yesterday (today and yesterday have buttons). */
export function datesMenu(restaurant: { id: string; name: string; timezone: string }, report: ReportKind, page: number, lang: Language, now: number): MenuView {
  const today = localToday(now, restaurant.timezone);
  const dates = Array.from({ length: DAYS_PER_PAGE }, (_, i) => {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day - 2 - page * DAYS_PER_PAGE - i));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  });
  const label = (d: LocalDate) => formatDate(dayBounds(d, restaurant.timezone).from, restaurant.timezone, lang);
  const buttons = rows(
    dates.map((d) => button(label(d), { kind: "run", restaurantId: restaurant.id, report, period: { date: d } })),
    3,
  );
  const paging = [
    ...(page < MAX_DATE_PAGE ? [button(phrase("earlier", lang), { kind: "dates", restaurantId: restaurant.id, report, page: page + 1 })] : []),
    ...(page > 0 ? [button(phrase("later", lang), { kind: "dates", restaurantId: restaurant.id, report, page: page - 1 })] : []),
  ];
  return {
    text: `${escapeHtml(phrase("chooseDate", lang))}\n📊 ${escapeHtml(reportTitle(report, lang))}\n🏠 ${escapeHtml(restaurant.name)}`,
    keyboard: {
      inline_keyboard: [
        ...buttons,
        ...(paging.length ? [paging] : []),
        [button(phrase("back", lang), { kind: "report", restaurantId: restaurant.id, report }), button(phrase("close", lang), { kind: "close" })],
      ],
    },
  };
}

/** How the chosen period reads in the "requesting…" message and in a failure. */
export function periodText(period: PeriodPick, timezone: string, lang: Language): string {
  switch (period) {
    case "current":
      return phrase("choiceCurrentShift", lang);
    case "last":
      return phrase("choiceLastShift", lang);
    case "today":
      return phrase("choiceToday", lang);
    case "yesterday":
      return phrase("choiceYesterday", lang);
    default:
      return formatDate(dayBounds(period.date, timezone).from, timezone, lang);
  }
}

/** After a failure: ask again, or go back to the menu. */
export function failureKeyboard(action: Extract<ReportAction, { kind: "run" }>, lang: Language): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [button(phrase("retry", lang), action), button(phrase("back", lang), { kind: "report", restaurantId: action.restaurantId, report: action.report })],
    ],
  };
}
