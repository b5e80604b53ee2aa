/**
 * Telegram HTML parse mode: only `<`, `>` and `&` must be escaped in text,
 * and `"` inside attribute values. Every string that came from a till goes
 * through `escapeHtml` before it meets a tag.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/**
 * Shortens to at most `max` characters (user-perceived: a surrogate pair or an
 * emoji is never cut in half), adding an ellipsis when anything was cut.
 * Control characters other than newline and tab are dropped: POS junk should
 * not reach a chat.
 */
export function truncate(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "");
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  return chars.slice(0, Math.max(0, max - 1)).join("").trimEnd() + "…";
}

/** A POS string made safe for a Telegram HTML message: cleaned, bounded, escaped. */
export function posText(text: string | null | undefined, max = 200): string {
  if (text == null) return "";
  return escapeHtml(truncate(text, max));
}

/** Telegram's limit on a text message, counted in UTF-16 code units after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit on a photo caption. */
export const TELEGRAM_CAPTION_LIMIT = 1024;
