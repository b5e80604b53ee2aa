/**
 * Telegram's sending limits and how a chat stays under them. Telegram
 * publishes them loosely ("about one message per second in a chat, no more
 * than 20 messages per minute in a group, about 30 messages per second
 * overall"), and answers 429 beyond them. We pace a little below each so that
 * clock skew and network jitter between our clock and Telegram's never turn
 * an on-time send into a 429.
 */
export type ChatType = "private" | "group" | "supergroup" | "channel";

/** Gap between two messages to the same chat (Telegram: ~1 s). */
export const PER_CHAT_GAP_MS = 1_050;
/** Messages per window in groups, supergroups and channels (Telegram: 20 per minute). */
export const GROUP_WINDOW_MESSAGES = 20;
/** The window, with a second of margin over Telegram's minute. */
export const GROUP_WINDOW_MS = 61_000;
/** Bot-wide budget (Telegram: ~30/s); shared by all chat objects through the bot budget object. */
export const BOT_MESSAGES_PER_SECOND = 25;
/**
 * How many sends the bot-wide bucket lets through at once. Telegram counts
 * "30 in any second": a bucket holds at most burst + rate × 1 s in any second,
 * so 3 + 25 = 28 stays within it with room for network jitter (a full
 * bucket of 25 would allow 50).
 */
export const BOT_BURST = 3;
/** Telegram's maximum message length (characters after entity parsing; we count the HTML, which is longer). */
export const MAX_MESSAGE_CHARS = 4_096;

export const isGroupLike = (type: ChatType) => type !== "private";

/**
 * The earliest time at or after `now` when the chat may receive its next
 * message, given the times of its recent sends (ascending).
 */
export function nextSlot(type: ChatType, recent: readonly number[], now: number): number {
  let at = now;
  const last = recent[recent.length - 1];
  if (last !== undefined) at = Math.max(at, last + PER_CHAT_GAP_MS);
  if (isGroupLike(type) && recent.length >= GROUP_WINDOW_MESSAGES) {
    // The send GROUP_WINDOW_MESSAGES back must have left the window.
    at = Math.max(at, recent[recent.length - GROUP_WINDOW_MESSAGES]! + GROUP_WINDOW_MS);
  }
  return at;
}

/** How many send times a chat must remember for `nextSlot`. */
export const SEND_LOG_SIZE = GROUP_WINDOW_MESSAGES;

/**
 * When the last of `count` more messages could go out if sent one by one
 * from `now` (ms from now). Stops counting once past `horizonMs`.
 */
export function drainTime(type: ChatType, recent: readonly number[], count: number, now: number, horizonMs = Infinity): number {
  const log = recent.slice(-SEND_LOG_SIZE);
  let t = now;
  for (let i = 0; i < count; i++) {
    t = nextSlot(type, log, t);
    if (t - now > horizonMs) return t - now;
    log.push(t);
    if (log.length > SEND_LOG_SIZE) log.shift();
  }
  return t - now;
}
