/**
 * What a formatter works with: the chat's words and the restaurant's money and
 * clock, with every value that leaves here already safe for Telegram HTML.
 */
import type { Language } from "../chat-settings";
import { escapeHtml, posLine, posText } from "./html";
import { counted, texts, type PluralForms, type Texts } from "./i18n";
import { formatMoney, formatNumber } from "./money";
import { formatDate, formatDateTime, formatTime, toMillis } from "./time";

export interface AlertContext {
  restaurantName: string;
  /** IANA zone of the restaurant. */
  timezone: string;
  /** The restaurant's currency, used when the event has none. */
  currency: string;
  lang: Language;
}

/** Bounds of POS strings shown in an alert (characters). */
export const LIMIT = {
  restaurant: 100,
  station: 60,
  person: 60,
  orderField: 32,
  itemName: 80,
  reason: 400,
  description: 800,
  line: 120,
} as const;

export interface Kit {
  readonly lang: Language;
  readonly t: Texts;
  readonly ctx: AlertContext;
  /** The event's currency, or the restaurant's. */
  readonly currency: string;
  /** Formatted money, escaped ("2 500 ₽"). */
  money(minor: number, currency?: string): string;
  /** A number in the chat's language ("0,35"). */
  num(n: number): string;
  /** A counted noun ("3 позиции"). */
  count(forms: PluralForms, n: number): string;
  /** Moments in the restaurant's zone, escaped. */
  dateTime(at: number | string): string;
  time(at: number | string): string;
  date(at: number | string): string;
  /** A POS string on one line: cleaned, whitespace collapsed, bounded, escaped. */
  line(text: string | null | undefined, max?: number): string;
  /** A POS string that may keep its line breaks: cleaned, bounded, escaped. */
  text(text: string | null | undefined, max?: number): string;
  /** A translated code ("on_hold" → "На холде"), the code itself when unknown. */
  word(table: Record<string, string>, code: string | null | undefined): string;
}

export function makeKit(ctx: AlertContext, eventCurrency: string | undefined): Kit {
  const t = texts(ctx.lang);
  const currency = eventCurrency ?? ctx.currency;
  return {
    lang: ctx.lang,
    t,
    ctx,
    currency,
    money: (minor, cur) => escapeHtml(formatMoney(minor, cur ?? currency, ctx.lang)),
    num: (n) => escapeHtml(formatNumber(n, ctx.lang)),
    count: (forms, n) => escapeHtml(counted(ctx.lang, forms, n)),
    dateTime: (at) => moment(at, (ms) => formatDateTime(ms, ctx.timezone, ctx.lang)),
    time: (at) => moment(at, (ms) => formatTime(ms, ctx.timezone, ctx.lang)),
    date: (at) => moment(at, (ms) => formatDate(ms, ctx.timezone, ctx.lang)),
    line: (s, max = LIMIT.line) => posLine(s, max),
    text: (s, max = LIMIT.description) => posText(s, max),
    word: (table, code) => (code == null ? "" : Object.hasOwn(table, code) ? escapeHtml(table[code]!) : posLine(code, 40)),
  };
}

/** A formatted moment, or a dash for one that is not a time at all (Intl would throw). */
function moment(at: number | string, format: (ms: number) => string): string {
  const ms = toMillis(at);
  return Number.isFinite(ms) ? escapeHtml(format(ms)) : "—";
}

/** A moment as milliseconds, or undefined when the value is not a parseable instant. */
export function instant(value: unknown): number | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const ms = toMillis(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A string or number read from loosely typed `data`; anything else is undefined. */
export function loose(value: unknown): string | undefined {
  if (typeof value === "string") return value.length > 0 ? value : undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An object read from loosely typed `data`. */
export function looseObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** An integer amount of money read from loosely typed `data`. */
export function looseMoney(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
}
