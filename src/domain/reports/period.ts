/**
 * Report periods as people say them ("today", "yesterday", "22.11") turned
 * into instants in the restaurant's time zone, and back into a line of the
 * report's title.
 */
import type { ReportPeriod, ReportPeriodRequest } from "../../protocol/report";
import type { Language } from "../chat-settings";
import { formatDate, formatDateTime, formatTime, zonedParts, zonedTimeToUtc } from "../format/time";
import { phrase } from "./i18n";

export type PeriodChoice = "current" | "last" | "today" | "yesterday";

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The local day as `[from, to)`: midnight to the next midnight (23 or 25 hours across a DST change). */
export function dayBounds(date: LocalDate, timeZone: string): { from: number; to: number } {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return {
    from: zonedTimeToUtc(date, timeZone),
    to: zonedTimeToUtc({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, timeZone),
  };
}

export function localToday(now: number, timeZone: string): LocalDate {
  const p = zonedParts(now, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * What to ask the agent for. Whole days end at the next midnight rather than
 * "now", so two people asking for today at different moments share one
 * request to the till.
 */
export function periodRequest(choice: PeriodChoice | { date: LocalDate }, timeZone: string, now: number): ReportPeriodRequest {
  if (choice === "current" || choice === "last") return { shift: choice };
  const date = typeof choice === "object" ? choice.date : addDays(localToday(now, timeZone), choice === "today" ? 0 : -1);
  const { from, to } = dayBounds(date, timeZone);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * A date as typed in a chat: "22.11.2026", "22.11.26", "22.11" (this year,
 * or last year when that would be in the future), "2026-11-22", "22/11/2026".
 * Null for anything else or for a date that does not exist.
 */
export function parseTypedDate(text: string, today: LocalDate): LocalDate | null {
  const t = text.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const dmy = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?$/.exec(t);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (dmy) {
    d = Number(dmy[1]);
    m = Number(dmy[2]);
    if (dmy[3]) {
      y = Number(dmy[3]);
      if (y < 100) y += 2000;
    } else {
      y = today.year;
      if (m > today.month || (m === today.month && d > today.day)) y -= 1;
    }
  } else {
    return null;
  }
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return { year: y, month: m, day: d };
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The period line of a report's title, in the restaurant's zone. */
export function periodLabel(period: ReportPeriod, timeZone: string, lang: Language): string {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const range = rangeLabel(from, to, timeZone, lang);
  const shift = period.shift;
  if (!shift) return range;
  const name = shift.closedAt ? phrase("shift", lang, { n: shift.number }) : phrase("shiftOpen", lang, { n: shift.number });
  return range ? `${name} · ${range}` : name;
}

function rangeLabel(from: number, to: number, timeZone: string, lang: Language): string {
  if (Number.isNaN(from) || Number.isNaN(to)) return "";
  const start = localToday(from, timeZone);
  const startsAtMidnight = dayBounds(start, timeZone).from === from;
  // Whole days: "22.11.2026", or "20.11.2026 – 22.11.2026".
  if (startsAtMidnight) {
    const lastDay = localToday(to - 1, timeZone);
    if (dayBounds(lastDay, timeZone).to === to) {
      return compareDates(start, lastDay) === 0
        ? formatDate(from, timeZone, lang)
        : `${formatDate(from, timeZone, lang)} – ${formatDate(to - 1, timeZone, lang)}`;
    }
  }
  const sameDay = compareDates(start, localToday(to, timeZone)) === 0;
  return sameDay
    ? `${formatDateTime(from, timeZone, lang)}–${formatTime(to, timeZone, lang)}`
    : `${formatDateTime(from, timeZone, lang)} – ${formatDateTime(to, timeZone, lang)}`;
}
