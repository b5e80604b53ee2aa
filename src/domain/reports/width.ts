/**
 * How wide a string looks in Telegram's monospace block. Tables are padded by
 * what a phone draws, not by UTF-16 length: a Cyrillic letter is one cell, an
 * emoji or a CJK character two, a combining mark or a joiner none. Widths are
 * counted per grapheme so a flag or a family emoji is never cut in half.
 */

let segmenter: Intl.Segmenter | undefined;
function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}/u;
const INVISIBLE = /^[\p{Mn}\p{Me}\p{Cf}]*$/u;

function graphemeWidth(g: string): number {
  if (INVISIBLE.test(g)) return 0;
  if (EMOJI.test(g) || WIDE.test(g)) return 2;
  return 1;
}

export function displayWidth(text: string): number {
  // Plain text (the common case: Cyrillic and digits) needs no segmentation.
  if (/^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u0370-\u0482\u048A-\u052F\u2010-\u2027\u202F-\u205E\u20A0-\u20CF\u2100-\u2121\u2123-\u22FF\u2500-\u25FC]*$/.test(text)) return text.length;
  let w = 0;
  for (const g of graphemes(text)) w += graphemeWidth(g);
  return w;
}

/**
 * A POS string made fit for one table cell: line breaks become spaces, and
 * control and direction-override characters go (a right-to-left override in a
 * dish name would mirror the rest of the row).
 */
export function cleanCell(text: string): string {
  return text
    .replace(/[\t\n\r\u2028\u2029]+/g, " ")
    .replace(/[\u0000-\u001F\u007F-\u009F\u00AD\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g, "")
    .replace(/ {2,}/g, " ")
    .trim();
}

/** Cuts to at most `max` cells, ending with "…" when anything was cut. */
export function fitWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 0) return "";
  let out = "";
  let w = 0;
  for (const g of graphemes(text)) {
    const gw = graphemeWidth(g);
    if (w + gw > max - 1) break;
    out += g;
    w += gw;
  }
  return out.trimEnd() + "…";
}

export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

export function padStart(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - displayWidth(text))) + text;
}

/** Splits after at most `width` cells, never inside a grapheme (at least one grapheme goes first). */
export function splitAtWidth(text: string, width: number): [string, string] {
  let head = "";
  let w = 0;
  for (const g of graphemes(text)) {
    const gw = graphemeWidth(g);
    if (head && w + gw > width) break;
    head += g;
    w += gw;
  }
  return [head, text.slice(head.length)];
}
