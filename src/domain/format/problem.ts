/**
 * Delivery problems in a chat: the alert carries inline buttons that move the
 * problem on as the Telegram user, and after each move the bot edits the
 * message in place with `renderProblemState`.
 *
 * Callback data is `pb:<problemId>:take|resolve|reject` (Telegram allows 64
 * bytes, so a problem id must stay under 53).
 */
import type { EventOf } from "../../protocol/events";
import type { Language } from "../chat-settings";
import type { OutgoingMessage } from "../outgoing";
import { renderAlert, type AlertContext } from "./alert";
import { texts } from "./i18n";

export type ProblemAction = "take" | "resolve" | "reject";
export type InlineButtons = NonNullable<OutgoingMessage["buttons"]>;

/** Which moves a problem in this state still allows from the chat. */
const ACTIONS: Record<string, readonly ProblemAction[]> = {
  new: ["take", "resolve", "reject"],
  in_progress: ["resolve", "reject"],
};

export function problemCallbackData(problemId: string, action: ProblemAction): string {
  return `pb:${problemId}:${action}`;
}

/** Parses callback data made by `problemCallbackData`; null for anything else. */
export function parseProblemCallback(data: string): { problemId: string; action: ProblemAction } | null {
  const m = /^pb:(.+):(take|resolve|reject)$/.exec(data);
  return m ? { problemId: m[1]!, action: m[2] as ProblemAction } : null;
}

/** One row of the buttons the state allows, in the chat's language; no rows once it is settled. */
export function problemButtons(problemId: string, state: string, lang: Language): InlineButtons {
  const words = texts(lang).buttons;
  const actions = ACTIONS[state] ?? [];
  return actions.length === 0 ? [] : [actions.map((a) => ({ text: words[a], data: problemCallbackData(problemId, a) }))];
}

/**
 * The problem's message after a transition: the same alert showing the new
 * state and who moved it when, and the buttons still allowed (an empty list
 * means: remove the keyboard).
 */
export function renderProblemState(
  event: EventOf<"order.problem">,
  ctx: AlertContext,
  change: { state: string; by?: string; at?: number | string },
): { html: string; buttons: InlineButtons } {
  const changedAt = change.at == null ? undefined : typeof change.at === "number" ? new Date(change.at).toISOString() : change.at;
  const updated: EventOf<"order.problem"> = {
    ...event,
    data: { ...event.data, state: change.state, changedBy: change.by, changedAt },
  };
  return {
    html: renderAlert(updated, ctx).html,
    buttons: problemButtons(event.data.problemId, change.state, ctx.lang),
  };
}
