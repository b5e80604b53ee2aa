/**
 * The buttons under a problem's alert (`pb:<problemId>:take|resolve|reject`):
 * a tap moves the problem as the Telegram user (recorded as the actor) and
 * the message is edited to show the new state and the buttons still allowed.
 * Only a chat linked to the order's restaurant (or its account) may move it.
 */
import { Composer } from "grammy";
import { eq } from "drizzle-orm";
import { linksOf } from "../../db/chats";
import { restaurants } from "../../db/schema";
import type { Language } from "../../domain/chat-settings";
import { parseProblemCallback, renderProblemState, type InlineButtons } from "../../domain/format/problem";
import { actorName } from "../../domain/orders/announce";
import { orderOfChildId } from "../../domain/orders/ids";
import { problemEvent } from "../../domain/orders/problem-message";
import type { OrderCard, ProblemAction } from "../../domain/orders/types";
import { ApiError } from "../../lib/errors";
import { getOrderCard, orderOwner, transitionProblem } from "../../services/orders";
import type { AlreadyEdited } from "../../services/problem-messages";
import type { BotContext } from "./context";

export const problems = new Composer<BotContext>();

const TEXTS: Record<Language, { done: string; gone: string; forbidden: string; already: string }> = {
  ru: { done: "Готово", gone: "Эта проблема больше не найдена", forbidden: "Этот чат не видит этот заказ", already: "Состояние уже изменилось" },
  uk: { done: "Готово", gone: "Цю проблему більше не знайдено", forbidden: "Цей чат не бачить це замовлення", already: "Стан уже змінився" },
  en: { done: "Done", gone: "This problem no longer exists", forbidden: "This chat cannot see this order", already: "It has changed already" },
};

problems.callbackQuery(/^pb:/, async (ctx) => {
  const tw = ctx.tillwatch;
  const t = TEXTS[await tw.lang()];
  const parsed = parseProblemCallback(ctx.callbackQuery.data);
  const orderId = parsed ? orderOfChildId(parsed.problemId) : null;
  const chat = await tw.chat();
  const owner = orderId ? await orderOwner(tw.env, orderId) : null;
  if (!parsed || !orderId || !owner) {
    await ctx.answerCallbackQuery({ text: t.gone });
    return;
  }
  const links = chat && chat.status === "active" ? await linksOf(tw.db, chat.id) : [];
  const allowed = links.some(
    (l) => (l.scope === "restaurant" && l.targetId === owner.restaurantId) || (l.scope === "account" && l.targetId === owner.accountId),
  );
  if (!allowed) {
    await ctx.answerCallbackQuery({ text: t.forbidden, show_alert: true });
    return;
  }

  const from = ctx.from;
  const name = [from.first_name, from.last_name].filter(Boolean).join(" ") || from.username || String(from.id);
  const actor = `telegram:${from.id}:${name}`;
  let card: OrderCard | null;
  let answer = t.done;
  try {
    const message = ctx.callbackQuery.message;
    const skip = message ? { telegramChatId: message.chat.id, messageId: message.message_id } : undefined;
    card = await move(ctx, orderId, parsed.problemId, parsed.action, actor, skip);
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 409 && err.status !== 404)) throw err;
    // Someone moved it first (or an old message): show how it stands now.
    answer = err.status === 404 ? t.gone : t.already;
    card = await getOrderCard(tw.env, orderId);
  }
  await ctx.answerCallbackQuery({ text: answer });
  const problem = card?.problems.find((p) => p.id === parsed.problemId);
  if (!card || !problem) return;

  const [r] = await tw.db
    .select({ name: restaurants.name, timezone: restaurants.timezone, currency: restaurants.currency })
    .from(restaurants)
    .where(eq(restaurants.id, card.data.restaurantId));
  const last = problem.transitions.at(-1);
  const { html, buttons } = renderProblemState(
    problemEvent(card, problem),
    { restaurantName: r?.name ?? "", timezone: r?.timezone ?? "UTC", currency: r?.currency ?? card.data.currency, lang: await tw.lang() },
    { state: problem.state, by: last ? actorName(last.actor) : undefined, at: last?.at },
  );
  await ctx.editMessageText(html, { parse_mode: "HTML", reply_markup: { inline_keyboard: keyboard(buttons) } }).catch((err: unknown) => {
    // "message is not modified": a second tap on a message already showing this state.
    if (!/not modified/i.test(String(err))) throw err;
  });
});

/** "Resolved" on a new problem takes it first, so both moves are recorded as this user's. */
async function move(
  ctx: BotContext,
  orderId: string,
  problemId: string,
  action: "take" | "resolve" | "reject",
  actor: string,
  skip: AlreadyEdited | undefined,
): Promise<OrderCard> {
  const env = ctx.tillwatch.env;
  if (action === "resolve") {
    const card = await getOrderCard(env, orderId);
    if (card?.problems.find((p) => p.id === problemId)?.state === "new") {
      await transitionProblem(env, orderId, problemId, "take" satisfies ProblemAction, actor, undefined, false);
    }
  }
  // The other chats' copies of this alert follow; this one is edited below, with the tap's answer.
  return transitionProblem(env, orderId, problemId, action, actor, undefined, { skip });
}

const keyboard = (buttons: InlineButtons) => buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data })));
