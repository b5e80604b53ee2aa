/**
 * Telegram HTML parse mode: only `<`, `>` and `&` must be escaped in text,
 * and `"` inside attribute values. Every string that came from a till goes
 * through `escapeHtml` before it meets a tag.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

// Control characters other than newline and tab: POS junk that should not reach a chat.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
// Bidi embeddings, overrides and isolates can flip the rest of a line (an amount
// shown backwards); plain LRM/RLM marks stay, they only nudge neutral characters.
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/g;
// A lone surrogate is not valid UTF-8: Telegram would refuse the whole message.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Drops control and bidi-override characters and repairs broken UTF-16. */
export function cleanText(text: string): string {
  return text.replace(CONTROL, "").replace(BIDI_OVERRIDE, "").replace(LONE_SURROGATE, "\uFFFD");
}

const graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/**
 * Shortens to at most `max` characters (code points: a surrogate pair is
 * never cut in half, and where the runtime can tell, neither is an emoji
 * sequence or a letter with its accents), adding an ellipsis when anything
 * was cut. The text is cleaned first (see `cleanText`).
 */
export function truncate(text: string, max: number): string {
  const clean = cleanText(text);
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  let kept = chars.slice(0, Math.max(0, max - 1)).join("");
  if (graphemes && kept.length > 0) {
    // Back off to the start of the grapheme the cut landed in, unless that grapheme is the whole text.
    let start = 0;
    for (const g of graphemes.segment(clean.slice(0, kept.length + 16))) {
      if (g.index >= kept.length) break;
      if (g.index + g.segment.length > kept.length) {
        start = g.index;
        break;
      }
      start = g.index + g.segment.length;
    }
    if (start > 0) kept = kept.slice(0, start);
  }
  return kept.trimEnd() + "…";
}

/** A POS string made safe for a Telegram HTML message: cleaned, bounded, escaped. */
export function posText(text: string | null | undefined, max = 200): string {
  if (text == null) return "";
  return escapeHtml(truncate(text, max));
}

/**
 * A POS string for a single line (a name, a station, a digest entry): like
 * `posText`, with line breaks and runs of whitespace collapsed to one space.
 */
export function posLine(text: string | null | undefined, max = 200): string {
  if (text == null) return "";
  return escapeHtml(truncate(cleanText(text).replace(/\s+/g, " ").trim(), max));
}

/** Telegram's limit on a text message, counted in UTF-16 code units after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit on a photo caption. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

// A tag, an entity, a surrogate pair, or any other single code unit.
const HTML_TOKEN = /<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g;

/**
 * Cuts Telegram HTML to at most `max` UTF-16 code units (raw, before entity
 * parsing, so the result is within Telegram's count too). Never cuts inside a
 * tag, an entity or a surrogate pair; closes the tags left open and marks the
 * cut with an ellipsis. Expects well-formed input (as every renderer here makes).
 */
export function fitHtml(html: string, max: number, ellipsis = "…"): string {
  if (html.length <= max) return html;
  const open: string[] = [];
  const closers = () => open.reduceRight((s, name) => s + `</${name}>`, "");
  let out = "";
  for (const m of html.matchAll(HTML_TOKEN)) {
    const token = m[0];
    if (token.startsWith("<") && token.length > 1) {
      const name = /^<\/?([a-zA-Z-]+)/.exec(token)?.[1]?.toLowerCase();
      if (!name) continue;
      if (token.startsWith("</")) {
        // Closing tags only shrink what is owed; always take them.
        out += token;
        open.pop();
        continue;
      }
      const owed = closers().length + name.length + 3;
      if (out.length + token.length + owed + ellipsis.length > max) break;
      out += token;
      open.push(name);
      continue;
    }
    if (out.length + token.length + closers().length + ellipsis.length > max) break;
    out += token;
  }
  return out.trimEnd() + ellipsis + closers();
}
