/**
 * Turns a routed event into the messages a chat receives, in the chat's
 * language. Most events are one alert; a shift report is a group of report
 * messages (tables cut at row boundaries), the hourly one with its chart.
 */
import type { TillEvent } from "../protocol/events";
import { CATALOGUE } from "./catalogue";
import type { Language } from "./chat-settings";
import { renderAlert } from "./format/alert";
import { problemButtons } from "./format/problem";
import type { OutgoingMessage } from "./outgoing";
import { renderShiftReport } from "./reports/shift-report";

export interface RenderContext {
  restaurant: { id: string; name: string; timezone: string; currency: string };
  lang: Language;
}

export async function renderEvent(event: TillEvent, alertId: number, ctx: RenderContext): Promise<OutgoingMessage[]> {
  const { html, digestLine } = renderAlert(event, {
    restaurantName: ctx.restaurant.name,
    timezone: ctx.restaurant.timezone,
    currency: ctx.restaurant.currency,
    lang: ctx.lang,
  });
  if (event.type === "report.shift") {
    const group = await renderShiftReport(event.data.report, {
      restaurant: ctx.restaurant,
      lang: ctx.lang,
      alertId,
      occurredAt: Date.parse(event.occurredAt),
      digestLine,
    });
    if (group) return group;
  }
  const entry = CATALOGUE[event.type];
  return [
    {
      alertId,
      restaurantId: ctx.restaurant.id,
      kind: entry.group === "system" ? "notice" : "alert",
      html,
      digestLine,
      risky: entry.risky,
      occurredAt: Date.parse(event.occurredAt),
      ...(event.type === "order.problem" ? { buttons: problemButtons(event.data.problemId, event.data.state, ctx.lang) } : {}),
    },
  ];
}
