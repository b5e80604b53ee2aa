import type { Language } from "./chat-settings";

/**
 * A message on its way to one chat, already rendered in the chat's language.
 * The restaurant object renders it when it routes an event; the chat object
 * only orders, paces, digests and sends.
 */
export interface OutgoingMessage {
  /**
   * D1 `alerts.id` this message delivers; with the chat id it keys the delivery row.
   * Negative for messages with no alert row (an on-demand report's further parts):
   * delivered the same way, their outcome is not written to D1.
   */
  alertId: number;
  /** Whose alert: picks the records shard where its delivery row lives (src/db/shards.ts). */
  restaurantId: string;
  /** Position within the alert's message group (a report is several messages); 0 for a single message. */
  part?: number;
  /** What it is, for pacing decisions: alerts may be digested, report parts never. */
  kind: "alert" | "notice" | "report";
  /** The full message, Telegram HTML, under 4,096 characters; empty for a picture alone. */
  html: string;
  /** One or two lines (Telegram HTML) standing for this message inside a digest. */
  digestLine: string;
  /** A picture sent right after the text (the shift report's hourly chart). */
  photo?: { pngBase64: string; caption: string };
  /** Risky operations are marked in digests. */
  risky: boolean;
  /** When the event happened (ms), for ordering and for the digest's time range. */
  occurredAt: number;
  /** Messages that must arrive whole and in their own message (report parts). */
  noDigest?: boolean;
  /** Inline keyboard to attach (problem buttons): rows of [text, callback_data]. */
  buttons?: Array<Array<{ text: string; data: string }>>;
}

/** Where a chat object sends: set on every enqueue so it follows links and migrations. */
export interface ChatTarget {
  chatId: string;
  telegramChatId: number;
  type: "private" | "group" | "supergroup" | "channel";
  /** The chat's language, for the few words the chat object writes itself (a digest's header). */
  lang?: Language;
}
