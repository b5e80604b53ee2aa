/**
 * Lays a message out within Telegram's limit. A message is a header, body
 * sections and a footer, separated by blank lines. Most body blocks are fixed
 * lines of balanced HTML; elastic blocks (item lists, printed documents, logs)
 * are given whatever room the fixed parts leave, so a 500-item deletion still
 * arrives with its header, its reason and its time.
 */
import { fitHtml, TELEGRAM_TEXT_LIMIT } from "./html";

/** A block that shrinks to the room it is given and says what it left out. */
export interface Elastic {
  /** Balanced HTML of at most `budget` UTF-16 code units, or "" when nothing useful fits. */
  fit(budget: number): string;
}

/** One line or more of balanced Telegram HTML, or an elastic block. */
export type Block = string | Elastic;

/** Blocks shown together; falsy entries are skipped so formatters can write `x && line(x)`. */
export type Section = ReadonlyArray<Block | null | undefined | false>;

/** Alerts and digests stay strictly under Telegram's 4,096. */
export const MESSAGE_MAX = TELEGRAM_TEXT_LIMIT - 1;

const SECTION_GAP = "\n\n";
const LINE_GAP = "\n";

export function composeMessage(header: string, sections: readonly Section[], footer: string, max = MESSAGE_MAX): string {
  const blocks = sections
    .map((s) => s.filter((b): b is Block => typeof b === "string" ? b.length > 0 : Boolean(b)))
    .filter((s) => s.length > 0);

  const fixed = blocks.flat().reduce((n, b) => n + (typeof b === "string" ? b.length : 0), 0);
  const gaps =
    blocks.reduce((n, s) => n + (s.length - 1) * LINE_GAP.length, 0) + (blocks.length + 1) * SECTION_GAP.length;
  let room = max - header.length - footer.length - fixed - gaps;
  let elasticLeft = blocks.flat().filter((b) => typeof b !== "string").length;

  const body = blocks
    .map((s) =>
      s
        .map((b) => {
          if (typeof b === "string") return b;
          const out = b.fit(Math.max(0, Math.floor(room / elasticLeft--)));
          room -= out.length;
          return out;
        })
        .filter((line) => line.length > 0)
        .join(LINE_GAP),
    )
    .filter((s) => s.length > 0)
    .join(SECTION_GAP);

  if (body.length === 0) return fitHtml(header + SECTION_GAP + footer, max);
  // Fixed lines are bounded one by one, but hostile input can still add up: cut the body, keep header and footer.
  const bodyRoom = max - header.length - footer.length - 2 * SECTION_GAP.length;
  const fitted = bodyRoom > 0 ? fitHtml(body, bodyRoom) : "";
  return fitHtml([header, fitted, footer].filter(Boolean).join(SECTION_GAP), max);
}
