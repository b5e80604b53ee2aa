/**
 * Keeps the chats' problem messages true: after a problem moves — from the
 * monitoring panel, the orders API or a button in another chat — every
 * message that announced it is edited to show the state now and only the
 * buttons that state still allows. Otherwise a manager would tap "take" on a
 * problem an operator resolved an hour ago.
 *
 * Best effort by design: the order card is the truth and a stale message
 * still answers a tap with "it has changed already", so a failed edit is
 * logged and never fails the move that caused it.
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { database } from "../db/client";
import { alerts, chats, deliveries, restaurants } from "../db/schema";
import { recordsDb } from "../db/shards";
import { readChatSettings } from "../domain/chat-settings";
import { renderProblemState } from "../domain/format/problem";
import { actorName } from "../domain/orders/announce";
import { problemEvent } from "../domain/orders/problem-message";
import type { OrderCard } from "../domain/orders/types";
import type { Env } from "../env";
import { callBotApi } from "../telegram/transport";

/** A message the caller edits itself (the one whose button was tapped). */
export interface AlreadyEdited {
  telegramChatId: number;
  messageId: number;
}

/** Edits every delivered announcement of the problem; answers how many messages were edited. */
export async function refreshProblemMessages(env: Env, card: OrderCard, problemId: string, skip?: AlreadyEdited): Promise<number> {
  const problem = card.problems.find((p) => p.id === problemId);
  if (!problem) return 0;
  const restaurantId = card.data.restaurantId;
  try {
    // Announcement keys are `<restaurant>:cloud:order.problem:<problem>:…` (created, and each reopening).
    const prefix = `${restaurantId}:cloud:order.problem:${problemId}:`;
    const records = recordsDb(env, restaurantId);
    const announced = await records
      .select({ chatId: deliveries.chatId, messageId: deliveries.telegramMessageId })
      .from(deliveries)
      .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
      .where(
        and(
          eq(alerts.restaurantId, restaurantId),
          eq(alerts.type, "order.problem"),
          sql`substr(${alerts.key}, 1, ${prefix.length}) = ${prefix}`,
          eq(deliveries.status, "sent"),
          isNotNull(deliveries.telegramMessageId),
        ),
      );
    if (announced.length === 0) return 0;

    const db = database(env.DB);
    const chatRows = await db
      .select({ id: chats.id, telegramChatId: chats.telegramChatId, settings: chats.settings })
      .from(chats)
      .where(and(inArray(chats.id, [...new Set(announced.map((a) => a.chatId))]), eq(chats.status, "active")));
    const [r] = await db
      .select({ name: restaurants.name, timezone: restaurants.timezone, currency: restaurants.currency })
      .from(restaurants)
      .where(eq(restaurants.id, restaurantId));
    const last = problem.transitions.at(-1);
    const change = { state: problem.state, by: last ? actorName(last.actor) : undefined, at: last?.at };
    const event = problemEvent(card, problem);

    let edited = 0;
    for (const a of announced) {
      const chat = chatRows.find((c) => c.id === a.chatId);
      if (!chat || a.messageId == null) continue;
      if (skip && skip.telegramChatId === chat.telegramChatId && skip.messageId === a.messageId) continue;
      const lang = readChatSettings(chat.settings).language;
      const { html, buttons } = renderProblemState(
        event,
        { restaurantName: r?.name ?? "", timezone: r?.timezone ?? "UTC", currency: r?.currency ?? card.data.currency, lang },
        change,
      );
      const res = await callBotApi(env, "editMessageText", {
        chat_id: chat.telegramChatId,
        message_id: a.messageId,
        text: html,
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        reply_markup: { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) },
      });
      if (res.ok || /not modified/i.test(res.description)) edited++;
      else console.warn(`problem ${problemId}: editing message ${a.messageId} in chat ${chat.id} failed: ${res.error_code} ${res.description}`);
    }
    return edited;
  } catch (err) {
    console.error(`problem ${problemId}: refreshing its chat messages failed:`, err instanceof Error ? err.message : err);
    return 0;
  }
}
