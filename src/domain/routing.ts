/**
 * Who gets an event: a pure function of the event, the chats subscribed to its
 * restaurant (directly or through the owner's account), their settings, and
 * whether the license of the agent it came from is valid.
 */
import type { EventType, TillEvent } from "../protocol/events";
import { CATALOGUE } from "./catalogue";
import { type ChatSettings, isEnabled } from "./chat-settings";

export interface Subscription {
  chatId: string;
  telegramChatId: number;
  chatType: "private" | "group" | "supergroup" | "channel";
  status: "active" | "inactive";
  statusReason: string | null;
  settings: ChatSettings;
  /** How the chat sees this restaurant: linked to it, or to its account. */
  via: "restaurant" | "account";
}

export type Route =
  | { chatId: string; status: "pending"; subscription: Subscription }
  | { chatId: string; status: "skipped"; reason: string; subscription: Subscription };

export interface RouteInput {
  event: TillEvent;
  subscriptions: Subscription[];
  /** False when the sending agent's license has expired. */
  licensed: boolean;
}

/** Events that always reach a chat whatever the license (they explain the license). */
const LICENSE_NOTICES: ReadonlySet<EventType> = new Set(["license.expiring", "license.expired"]);

export function route({ event, subscriptions, licensed }: RouteInput): Route[] {
  if (!licensed && !LICENSE_NOTICES.has(event.type)) return [];
  const byChat = new Map<string, Subscription>();
  for (const s of subscriptions) {
    // A chat linked both to the restaurant and to its account gets one message.
    const prev = byChat.get(s.chatId);
    if (!prev || (prev.via === "account" && s.via === "restaurant")) byChat.set(s.chatId, s);
  }
  const routes: Route[] = [];
  for (const s of byChat.values()) {
    if (!wants(s.settings, event)) continue;
    if (s.status !== "active") {
      routes.push({ chatId: s.chatId, status: "skipped", reason: `chat_inactive:${s.statusReason ?? "unknown"}`, subscription: s });
      continue;
    }
    routes.push({ chatId: s.chatId, status: "pending", subscription: s });
  }
  return routes;
}

/** Does a chat with these settings want this event? */
export function wants(settings: ChatSettings, event: TillEvent): boolean {
  if (!CATALOGUE[event.type].switchable) return true;
  if (!isEnabled(settings, event.type)) return false;
  if (event.type === "service_print") return servicePrintMatches(settings, event.data.document);
  return true;
}

export function servicePrintMatches(
  settings: ChatSettings,
  doc: { printer?: string | undefined; purpose?: string | undefined; title?: string | undefined },
): boolean {
  const f = settings.servicePrint;
  if (f.mode === "none") return false;
  if (f.mode === "all") return true;
  const hay = [doc.printer, doc.purpose, doc.title].filter(Boolean).join("\n").toLocaleLowerCase("ru");
  return f.words.some((w) => hay.includes(w.toLocaleLowerCase("ru")));
}
