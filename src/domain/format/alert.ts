/**
 * Alert messages: one formatter per event type (see ./events/*), in the
 * chat's language, HTML parse mode, every POS string escaped.
 *
 * PLACEHOLDER until the formatters land: a generic rendering that keeps the
 * API stable for the restaurant object. Replace the body, keep the signatures.
 */
import type { TillEvent } from "../../protocol/events";
import type { Language } from "../chat-settings";
import { escapeHtml, posText } from "./html";
import { formatMoney } from "./money";
import { formatDateTime } from "./time";

export interface AlertContext {
  restaurantName: string;
  /** IANA zone of the restaurant. */
  timezone: string;
  /** The restaurant's currency, used when the event has none. */
  currency: string;
  lang: Language;
}

export interface RenderedAlert {
  /** Full message, Telegram HTML, < 4,096 characters. */
  html: string;
  /** One or two lines for digests, Telegram HTML. */
  digestLine: string;
}

export function renderAlert(event: TillEvent, ctx: AlertContext): RenderedAlert {
  const when = formatDateTime(event.occurredAt, ctx.timezone, ctx.lang);
  const money = event.amount != null ? ` · ${escapeHtml(formatMoney(event.amount, event.currency ?? ctx.currency, ctx.lang))}` : "";
  const head = `<b>${posText(ctx.restaurantName, 100)}</b>\n${escapeHtml(event.type)}${money}`;
  return { html: `${head}\n${escapeHtml(when)}`, digestLine: `${escapeHtml(event.type)}${money}` };
}

/** One plain-text line (no HTML) for lists on the admin page. */
export function summarizeEvent(event: TillEvent, ctx: { currency: string }): string {
  const parts: string[] = [event.type];
  if (event.order?.number) parts.push(`order ${event.order.number}`);
  if (event.amount != null) parts.push(formatMoney(event.amount, event.currency ?? ctx.currency, "en"));
  if (event.employee?.name) parts.push(event.employee.name);
  return parts.join(" · ").slice(0, 200);
}
