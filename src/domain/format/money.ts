/**
 * Money is an integer in minor units; the currency says how many minor units
 * make a major one (RUB 2, JPY 0). Formatting follows the chat's language.
 */
import type { Language } from "../chat-settings";

const LOCALES: Record<Language, string> = { ru: "ru-RU", uk: "uk-UA", en: "en-GB" };
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(lang: Language, currency: string, fraction: boolean): Intl.NumberFormat {
  const key = `${lang}|${currency}|${fraction}`;
  let f = formatters.get(key);
  if (!f) {
    const digits = minorDigits(currency);
    f = new Intl.NumberFormat(LOCALES[lang], {
      style: "currency",
      currency,
      // "₽", "₴", "€", "$" in every language (the default shows "RUB 2,500" in English and "2 500 RUB" in Ukrainian).
      currencyDisplay: "narrowSymbol",
      minimumFractionDigits: fraction ? digits : 0,
      maximumFractionDigits: digits,
    });
    formatters.set(key, f);
  }
  return f;
}

/** Number of minor-unit digits of a currency (2 for RUB/UAH/EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * "2 500,50 ₽" (ru, uk: no-break spaces), "₽2,500.50" (en). Whole amounts drop the
 * kopecks ("2 500 ₽") so alerts stay short; pass `{ exact: true }` in tables
 * where columns must line up.
 */
export function formatMoney(minor: number, currency: string, lang: Language, opts: { exact?: boolean } = {}): string {
  const digits = minorDigits(currency);
  const major = minor / 10 ** digits;
  const whole = Number.isInteger(major);
  try {
    return formatter(lang, currency, opts.exact === true || !whole).format(major);
  } catch {
    return `${major.toFixed(digits)} ${currency}`;
  }
}

/** A plain number in the chat's language ("1 234,5"), for quantities and counts. */
export function formatNumber(value: number, lang: Language, maxFraction = 3): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: maxFraction }).format(value);
}

export function localeOf(lang: Language): string {
  return LOCALES[lang];
}
