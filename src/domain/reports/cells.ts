/**
 * One report cell as text, by its column's type and the chat's language.
 * Money cells carry no currency sign (the column title does: "Сумма, ₽"), so
 * a column of amounts stays narrow and lines up on the decimal separator.
 */
import type { Cell, ColumnType } from "../../protocol/report";
import type { Language } from "../chat-settings";
import { localeOf, minorDigits } from "../format/money";
import { formatTime } from "../format/time";
import { translateLabel } from "./i18n";
import { cleanCell } from "./width";

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Language, min: number, max: number): Intl.NumberFormat {
  const key = `${lang}|${min}|${max}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: min, maximumFractionDigits: max });
    numberFormats.set(key, f);
  }
  return f;
}

/** "1 234,50" (ru/uk), "1,234.50" (en): minor units shown with the currency's exact decimals. */
export function formatAmount(minor: number, currency: string, lang: Language): string {
  const digits = minorDigits(currency);
  return numberFormat(lang, digits, digits).format(minor / 10 ** digits);
}

const symbols = new Map<string, string>();
/** The currency's short sign in the chat's language: ₽, ₴, €, or the ISO code where there is none. */
export function currencySign(currency: string, lang: Language): string {
  const key = `${lang}|${currency}`;
  let s = symbols.get(key);
  if (s === undefined) {
    try {
      const parts = new Intl.NumberFormat(localeOf(lang), { style: "currency", currency, currencyDisplay: "narrowSymbol" }).formatToParts(1);
      s = parts.find((p) => p.type === "currency")?.value ?? currency;
    } catch {
      s = currency;
    }
    symbols.set(key, s);
  }
  return s;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export interface CellContext {
  lang: Language;
  currency: string;
  timezone: string;
}

/** The cell's text, not yet escaped or padded. Empty for null. */
export function formatCell(cell: Cell, type: ColumnType, ctx: CellContext): string {
  if (cell === null) return "";
  if (typeof cell === "string") {
    if (type === "time" && ISO_INSTANT.test(cell) && !Number.isNaN(Date.parse(cell))) return formatTime(cell, ctx.timezone, ctx.lang);
    return translateLabel(cleanCell(cell), ctx.lang);
  }
  switch (type) {
    case "money":
      return formatAmount(cell, ctx.currency, ctx.lang);
    case "int":
      return numberFormat(ctx.lang, 0, 0).format(cell);
    case "quantity":
      return numberFormat(ctx.lang, 0, 3).format(cell);
    case "percent":
      return `${numberFormat(ctx.lang, 0, 1).format(cell)}%`;
    case "time":
      return formatTime(cell, ctx.timezone, ctx.lang);
    case "text":
      return numberFormat(ctx.lang, 0, 3).format(cell);
  }
}

/** Numbers read right-aligned; words left. */
export function alignsRight(type: ColumnType): boolean {
  return type === "money" || type === "int" || type === "quantity" || type === "percent";
}
