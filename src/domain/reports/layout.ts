/**
 * Lays one report section out as monospace lines: a table when it fits a
 * phone's width, otherwise one block of "label  value" lines per row. Plain
 * text here; the renderer escapes and wraps it in `<pre>`.
 *
 * Rows stay whole units so a long report can be split between messages at
 * row boundaries only.
 */
import type { Section } from "../../protocol/report";
import { alignsRight, type CellContext, currencySign, formatCell } from "./cells";
import { translateLabel } from "./i18n";
import { displayWidth, fitWidth, padEnd, padStart, splitAtWidth } from "./width";

/**
 * Widest line we draw: about what a phone shows of a `<pre>` block in
 * portrait without wrapping (wrapped rows lose their alignment).
 */
export const MAX_LINE_WIDTH = 48;
/** A text cell never takes more than this, however wide the table may be. */
const TEXT_MAX = 28;
/** Text columns are narrowed down to this before giving up on a table. */
const TEXT_MIN = 8;
/** A value in the per-row layout is cut here (a reason or a dish list can be long). */
const RECORD_VALUE_MAX = 160;
const GAP = "  ";

export interface SectionLayout {
  title: string;
  /** Lines repeated at the top of every message the section continues in (the column titles). */
  head: string[];
  /** Each row as its lines: one for a table, several for a record. */
  rows: string[][];
  /** The totals row with its rule, when the section has one. */
  totals: string[];
}

export function layoutSection(section: Section, ctx: CellContext): SectionLayout {
  const title = translateLabel(section.title, ctx.lang);
  const cols = section.columns.map((c) => ({
    type: c.type,
    title: translateLabel(c.title, ctx.lang) + (c.type === "money" ? `, ${currencySign(ctx.currency, ctx.lang)}` : ""),
  }));
  const cells = section.rows.map((r) => r.map((cell, i) => formatCell(cell, cols[i]!.type, ctx)));
  const totals = section.totals?.map((cell, i) => formatCell(cell, cols[i]!.type, ctx));
  // One row of many figures (the balance) reads better as a list than as a very wide table.
  const singleWideRow = cells.length === 1 && cols.length > 2 && !totals;
  const table = singleWideRow ? null : tableLayout(cols, cells, totals);
  return table ? { title, ...table } : { title, ...recordLayout(cols, cells, totals) };
}

type Col = { type: Section["columns"][number]["type"]; title: string };

function tableLayout(cols: Col[], cells: string[][], totals: string[] | undefined): Omit<SectionLayout, "title"> | null {
  const all = totals ? [...cells, totals] : cells;
  const contents = cols.map((_, i) => Math.max(0, ...all.map((r) => displayWidth(r[i]!))));
  // A title goes on two lines only when it is wider than what the column holds anyway.
  const heads = cols.map((c, i) => (displayWidth(c.title) <= contents[i]! ? [c.title] : splitTitle(c.title)));
  const widths = cols.map((c, i) => {
    const content = contents[i]!;
    const head = Math.max(...heads[i]!.map(displayWidth));
    const w = Math.max(content, head);
    return alignsRight(c.type) ? w : Math.min(w, TEXT_MAX);
  });
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  // Narrow the widest text column a cell at a time until the table fits, or no text column can give more.
  while (total() > MAX_LINE_WIDTH) {
    let widest = -1;
    cols.forEach((c, i) => {
      if (!alignsRight(c.type) && widths[i]! > TEXT_MIN && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0) return null;
    widths[widest]!--;
  }
  const line = (row: string[]) =>
    row
      .map((text, i) => {
        const fitted = fitWidth(text, widths[i]!);
        return alignsRight(cols[i]!.type) ? padStart(fitted, widths[i]!) : padEnd(fitted, widths[i]!);
      })
      .join(GAP)
      .trimEnd();
  // A one-line title sits on the lower header line, next to the second halves of the two-line ones.
  const headLines = heads.some((h) => h.length === 2)
    ? [line(heads.map((h) => (h.length === 2 ? h[0]! : ""))), line(heads.map((h) => h[h.length - 1]!))]
    : [line(heads.map((h) => h[0]!))];
  const rule = "─".repeat(total());
  return {
    head: [...headLines, rule],
    rows: cells.map((r) => [line(r)]),
    totals: totals ? [rule, line(totals)] : [],
  };
}

/**
 * A column title as one or two lines: split at the space that makes the
 * wider line narrowest, when that is narrower than the title itself.
 */
export function splitTitle(title: string): string[] {
  const whole = displayWidth(title);
  let best: string[] = [title];
  let bestWidth = whole;
  for (let i = title.indexOf(" "); i > 0; i = title.indexOf(" ", i + 1)) {
    const a = title.slice(0, i);
    const b = title.slice(i + 1);
    const w = Math.max(displayWidth(a), displayWidth(b));
    if (w < bestWidth) {
      best = [a, b];
      bestWidth = w;
    }
  }
  return best;
}

function recordLayout(cols: Col[], cells: string[][], totals: string[] | undefined): Omit<SectionLayout, "title"> {
  const labelWidth = Math.min(20, Math.max(...cols.map((c) => displayWidth(c.title))));
  const valueWidth = Math.max(12, MAX_LINE_WIDTH - labelWidth - GAP.length);
  const record = (row: string[]) =>
    row.flatMap((text, i) => (text === "" ? [] : wrapValue(padEnd(fitWidth(cols[i]!.title, labelWidth), labelWidth), fitWidth(text, RECORD_VALUE_MAX), valueWidth, labelWidth)));
  const rows = cells.map((r, i) => (i < cells.length - 1 ? [...record(r), ""] : record(r)));
  return {
    head: [],
    rows,
    totals: totals ? ["─".repeat(labelWidth + GAP.length + valueWidth), ...record(totals)] : [],
  };
}

/** "label  value", the value continued under itself, word by word, when it is wider than the line. */
function wrapValue(label: string, value: string, width: number, labelWidth: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of value.split(" ")) {
    let w = word;
    const candidate = current ? `${current} ${w}` : w;
    if (displayWidth(candidate) <= width) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    // A word wider than the line is cut where the line ends.
    while (displayWidth(w) > width) {
      const [head, rest] = splitAtWidth(w, width);
      lines.push(head);
      w = rest;
    }
    current = w;
  }
  lines.push(current);
  return lines.map((l, i) => (i === 0 ? label : " ".repeat(labelWidth)) + GAP + l);
}
