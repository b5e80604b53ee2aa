/**
 * Alert messages: one formatter per event type (see ./events), in the chat's
 * language, Telegram HTML, every POS string escaped and bounded.
 *
 * Every alert reads top-down the same way: what happened (icon, bold
 * headline, ❗ when risky), where (restaurant, always, since owner chats see
 * several; the station), then the type's facts (order, people, items, money,
 * reason) and last when, in the restaurant's time zone.
 */
import type { EventType, TillEvent } from "../../protocol/events";
import { CATALOGUE } from "../catalogue";
import { composeMessage } from "./compose";
import { FORMATTERS } from "./events";
import type { AlertDraft } from "./formatter";
import { escapeHtml, fitHtml } from "./html";
import { ICONS, RISKY_MARK } from "./icons";
import { LIMIT, makeKit, type AlertContext, type Kit } from "./kit";
import { formatMoney } from "./money";

export type { AlertContext } from "./kit";

export interface RenderedAlert {
  /** Full message, Telegram HTML, < 4,096 characters. */
  html: string;
  /** One line for digests, Telegram HTML, at most DIGEST_LINE_MAX characters. */
  digestLine: string;
}

/** A digest line's bound: a 4,096-character digest holds a dozen or more of them. */
export const DIGEST_LINE_MAX = 300;

function draftOf(event: TillEvent, kit: Kit): AlertDraft {
  // The registry is keyed by type, so the formatter found matches the event; TS cannot correlate the two.
  const format = FORMATTERS[event.type] as (e: TillEvent, k: Kit) => AlertDraft;
  return format(event, kit);
}

export function renderAlert(event: TillEvent, ctx: AlertContext): RenderedAlert {
  const kit = makeKit(ctx, event.currency);
  const draft = draftOf(event, kit);
  const title = draft.title ?? escapeHtml(kit.t.events[event.type]);
  const mark = riskMark(event.type);
  const icon = ICONS[event.type];
  const restaurant = kit.line(ctx.restaurantName, LIMIT.restaurant);
  const station = kit.line(event.station?.name, LIMIT.station);

  const header = `${mark}${icon} <b>${title}</b>\n🏠 <b>${restaurant}</b>${station ? ` · 🖥 ${station}` : ""}`;
  const footer = `🕒 ${kit.dateTime(event.occurredAt)}`;
  const html = composeMessage(header, draft.sections, footer);

  const facts = [kit.line(ctx.restaurantName, 24), station && kit.line(event.station?.name, 20), ...draft.digest]
    .filter((f): f is string => typeof f === "string" && f.length > 0)
    .map((f) => f.replace(/\s*\n\s*/g, " "));
  const digestLine = fitHtml([`${kit.time(event.occurredAt)} ${mark}${icon} <b>${title}</b>`, ...facts].join(" · "), DIGEST_LINE_MAX);
  return { html, digestLine };
}

function riskMark(type: EventType): string {
  return CATALOGUE[type].risky ? `${RISKY_MARK} ` : "";
}

/** One plain-text line (no HTML) for lists on the admin page. */
export function summarizeEvent(event: TillEvent, ctx: { currency: string }): string {
  const parts: string[] = [event.type];
  if (event.order?.number) parts.push(`order ${event.order.number}`);
  if (event.amount != null) parts.push(formatMoney(event.amount, event.currency ?? ctx.currency, "en"));
  if (event.employee?.name) parts.push(event.employee.name);
  return parts.join(" · ").replace(/\s+/g, " ").slice(0, 200);
}
