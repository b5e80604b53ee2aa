/**
 * Times shown to people are in the restaurant's time zone, whatever zone the
 * event or the server was in.
 */
import type { Language } from "../chat-settings";
import { localeOf } from "./money";

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(lang: Language, timeZone: string, opts: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const k = `${lang}|${timeZone}|${key}`;
  let f = cache.get(k);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(localeOf(lang), { timeZone, ...opts });
    } catch {
      f = new Intl.DateTimeFormat(localeOf(lang), { timeZone: "UTC", ...opts });
    }
    cache.set(k, f);
  }
  return f;
}

export function toMillis(at: number | string | Date): number {
  return typeof at === "number" ? at : typeof at === "string" ? Date.parse(at) : at.getTime();
}

// Spelled out rather than dateStyle "short", which gives a two-digit year in Ukrainian only.
const DATE: Intl.DateTimeFormatOptions = { day: "2-digit", month: "2-digit", year: "numeric" };
const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

/** "22.11.2026, 18:03" (ru, uk), "22/11/2026, 18:03" (en) in the zone. */
export function formatDateTime(at: number | string | Date, timeZone: string, lang: Language): string {
  return dtf(lang, timeZone, { ...DATE, ...TIME }, "dt").format(toMillis(at));
}

/** "18:03" in the zone. */
export function formatTime(at: number | string | Date, timeZone: string, lang: Language): string {
  return dtf(lang, timeZone, TIME, "t").format(toMillis(at));
}

/** "22.11.2026" (ru, uk), "22/11/2026" (en) in the zone. */
export function formatDate(at: number | string | Date, timeZone: string, lang: Language): string {
  return dtf(lang, timeZone, DATE, "d").format(toMillis(at));
}

/** The wall-clock parts of a moment in a zone (for "today", hour buckets, date keys). */
export function zonedParts(at: number | string | Date, timeZone: string): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
} {
  const parts = dtf("en", timeZone, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }, "parts").formatToParts(toMillis(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour") % 24, minute: get("minute") };
}

/** Is this an IANA zone the runtime knows? */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The UTC instant of a wall-clock time in a zone (e.g. midnight of a local
 * date), found by correcting for the zone's offset at that moment.
 */
export function zonedTimeToUtc(
  local: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): number {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0);
  let t = guess;
  for (let i = 0; i < 3; i++) {
    const p = zonedParts(t, timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    const diff = asUtc - guess;
    if (diff === 0) break;
    t -= diff;
  }
  return t;
}
