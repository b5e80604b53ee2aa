/**
 * A report as Telegram HTML messages: a title (report, restaurant, period in
 * the restaurant's zone), then each section as a monospace table. A report
 * longer than one message continues in the next at a row boundary, with the
 * title and the column header repeated, so every part reads on its own.
 */
import type { Report } from "../../protocol/report";
import type { Language } from "../chat-settings";
import { escapeHtml, TELEGRAM_TEXT_LIMIT } from "../format/html";
import { phrase, reportTitle } from "./i18n";
import { layoutSection } from "./layout";
import { periodLabel } from "./period";
import { cleanCell } from "./width";

export interface ReportRenderContext {
  restaurantName: string;
  timezone: string;
  lang: Language;
  /** Message size limit; Telegram's 4,096 unless a test wants small parts. */
  limit?: number;
  /** A line above the title (the shift-close headline of the automatic report). */
  headline?: string;
}

/** Room kept free in every part for its "part 2 of 3" mark, known only once all parts are cut. */
const PART_MARK_ROOM = 32;

/** The report's messages, each within the limit; never empty. */
export function renderReport(report: Report, ctx: ReportRenderContext): string[] {
  const limit = (ctx.limit ?? TELEGRAM_TEXT_LIMIT) - PART_MARK_ROOM;
  const cellCtx = { lang: ctx.lang, currency: report.currency, timezone: ctx.timezone };
  const title = (continued: boolean) => header(report, ctx, continued);

  const parts: string[] = [];
  let body: string[] = [];
  let size = 0;
  let inPre = false;
  const closing = () => (inPre ? "\n</pre>" : "");
  const push = (piece: string) => {
    body.push(piece);
    size += piece.length + 1;
  };
  const startPart = (continued: boolean) => {
    body = [];
    size = 0;
    push(title(continued));
  };
  const finishPart = () => {
    parts.push(body.join("\n") + closing());
  };
  const fits = (piece: string) => size + piece.length + 1 + closing().length <= limit;

  startPart(false);
  for (const section of report.sections) {
    const layout = layoutSection(section, cellCtx);
    const sectionTitle = `\n<b>${escapeHtml(cleanCell(layout.title))}</b>`;
    if (layout.rows.length === 0 && layout.totals.length === 0) {
      const empty = `${sectionTitle}\n<i>${phrase("noData", ctx.lang)}</i>`;
      if (!fits(empty) && body.length > 1) {
        finishPart();
        startPart(true);
      }
      push(empty);
      continue;
    }
    // "<pre>" glued to the first line below it, so the block does not start with an empty line.
    const opening = `${sectionTitle}\n<pre>${layout.head.map(escapeHtml).join("\n")}`;
    const glueFirst = layout.head.length === 0;
    const units = [...layout.rows, ...(layout.totals.length ? [layout.totals] : [])].map((lines) => lines.map(escapeHtml).join("\n"));
    // A section starts in the part it fits in with its first row, never as a lone title at the bottom.
    if (body.length > 1 && size + opening.length + units[0]!.length + 2 + "\n</pre>".length > limit) {
      finishPart();
      startPart(true);
    }
    push(opening);
    inPre = true;
    let glue = glueFirst;
    for (const unit of units) {
      for (const piece of unitPieces(unit, limit)) {
        if (!fits(piece)) {
          finishPart();
          startPart(true);
          push(opening);
          glue = glueFirst;
        }
        if (glue) {
          body[body.length - 1] += piece;
          size += piece.length;
          glue = false;
        } else push(piece);
      }
    }
    body[body.length - 1] += "\n</pre>";
    size += "\n</pre>".length;
    inPre = false;
  }
  finishPart();
  if (parts.length === 1) return parts;
  return parts.map((p, i) => markPart(p, i + 1, parts.length, ctx.lang));
}

function header(report: Report, ctx: ReportRenderContext, continued: boolean): string {
  const name = reportTitle(report.kind, ctx.lang) + (continued ? ` ${phrase("continued", ctx.lang)}` : "");
  const lines = [
    ...(ctx.headline && !continued ? [ctx.headline] : []),
    `📊 <b>${escapeHtml(name)}</b>`,
    `🏠 ${escapeHtml(cleanCell(ctx.restaurantName))}`,
  ];
  const period = periodLabel(report.period, ctx.timezone, ctx.lang);
  if (period) lines.push(`🗓 ${escapeHtml(period)}`);
  return lines.join("\n");
}

/** A unit that cannot fit in a part on its own (a record with very many long fields) goes line by line. */
function unitPieces(unit: string, limit: number): string[] {
  return unit.length + 400 < limit ? [unit] : unit.split("\n");
}

function markPart(part: string, n: number, of: number, lang: Language): string {
  const mark = ` <i>(${phrase("part", lang, { n, of })})</i>`;
  // The mark goes at the end of the title's report line (the first line that starts with the report icon).
  const at = part.indexOf("</b>", part.indexOf("📊"));
  return at < 0 ? part : part.slice(0, at + 4) + mark + part.slice(at + 4);
}
