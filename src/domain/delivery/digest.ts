/**
 * Digest messages: several queued alerts in one Telegram message, each as
 * its `digestLine`, so a burst reaches the chat within minutes instead of
 * queueing behind the chat's rate limit. Risky operations are marked.
 */
import type { Language } from "../chat-settings";
import { counted, texts } from "../format/i18n";
import type { OutgoingMessage } from "../outgoing";
import { MAX_MESSAGE_CHARS } from "./limits";

export const RISKY_MARK = "❗️";
export const ROUTINE_MARK = "▫️";

/** Whether a message may stand as a line in a digest: plain alerts and notices only. */
export function digestible(m: OutgoingMessage): boolean {
  if (m.kind === "report" || m.noDigest) return false;
  if (m.photo || (m.buttons && m.buttons.length > 0)) return false;
  return m.digestLine.trim().length > 0;
}

/** "🗂 Сводка: 23 события" and one line on why, in the chat's language. */
export function digestHeader(count: number, lang: Language = "ru"): string {
  return texts(lang).digestHeader(counted(lang, texts(lang).count.events, count));
}

export function digestEntry(m: OutgoingMessage): string {
  return `${m.risky ? RISKY_MARK : ROUTINE_MARK} ${m.digestLine.trim()}`;
}

/**
 * Packs the longest run of `messages` (in order, starting with the first)
 * that fits one message of at most `maxChars`, header included. Returns how
 * many it took and the HTML; `taken` is 0 when not even the first fits.
 */
export function packDigest(
  messages: readonly OutgoingMessage[],
  lang: Language = "ru",
  maxChars = MAX_MESSAGE_CHARS,
): { taken: number; html: string } {
  const entries: string[] = [];
  // The header's length grows with the count (digits, plural form); reserve the widest it can be.
  const headerBudget = Math.max(digestHeader(messages.length, lang).length, digestHeader(messages.length + 1, lang).length) + 4;
  let length = headerBudget;
  for (const m of messages) {
    const entry = digestEntry(m);
    if (length + entry.length + 1 > maxChars) break;
    entries.push(entry);
    length += entry.length + 1;
  }
  if (entries.length === 0) return { taken: 0, html: "" };
  return { taken: entries.length, html: `${digestHeader(entries.length, lang)}\n\n${entries.join("\n")}` };
}
