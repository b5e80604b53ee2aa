/**
 * A POS report as it travels from the agent to the cloud: sections of typed
 * columns and rows. The renderer decides how it looks in each language; the
 * agent only says what the numbers are.
 */
import { z } from "zod";
import { Currency, Instant, Money } from "./common";

export const REPORT_KINDS = [
  "balance",
  "dishes",
  "hourly",
  "discounts",
  "deletions",
  "payments",
  "employees",
] as const;
export const ReportKind = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof ReportKind>;

/**
 * How a column's cells are to be read: `money` cells are integers in minor
 * units of the report's currency, `quantity` may be fractional, `percent` is a
 * number like 12.5, `time` an ISO instant or "HH:MM", `text` anything.
 */
export const ColumnType = z.enum(["text", "int", "money", "quantity", "percent", "time"]);
export type ColumnType = z.infer<typeof ColumnType>;

export const Column = z.object({
  title: z.string().max(200),
  type: ColumnType.default("text"),
});
export type Column = z.infer<typeof Column>;

/** A column may be sent as a bare title (a text column) or as `{ title, type }`. */
const ColumnInput = z
  .union([z.string().max(200), Column])
  .transform((c): Column => (typeof c === "string" ? { title: c, type: "text" } : c));

export const Cell = z.union([z.string().max(4000), z.number().finite(), z.null()]);
export type Cell = z.infer<typeof Cell>;

export const Section = z
  .object({
    title: z.string().max(200),
    columns: z.array(ColumnInput).min(1).max(20),
    rows: z.array(z.array(Cell)).max(5000),
    totals: z.array(Cell).optional(),
  })
  .superRefine((s, ctx) => {
    s.rows.forEach((row, i) => {
      if (row.length !== s.columns.length) {
        ctx.addIssue({ code: "custom", path: ["rows", i], message: `row has ${row.length} cells, section has ${s.columns.length} columns` });
      }
    });
    if (s.totals && s.totals.length !== s.columns.length) {
      ctx.addIssue({ code: "custom", path: ["totals"], message: "totals must have one cell per column" });
    }
  });
export type Section = z.infer<typeof Section>;

export const ReportPeriod = z.object({
  from: Instant,
  to: Instant,
  /** Set when the period is a common shift of the POS. */
  shift: z.object({ number: z.int(), openedAt: Instant.optional(), closedAt: Instant.optional() }).optional(),
});
export type ReportPeriod = z.infer<typeof ReportPeriod>;

export const Report = z.object({
  kind: ReportKind,
  title: z.string().max(200),
  period: ReportPeriod,
  currency: Currency,
  sections: z.array(Section).max(20),
  /** Free-form figures a renderer may use (for example the hourly chart's series). */
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type Report = z.infer<typeof Report>;

/** What a chat asks for: explicit bounds, or a common shift of the POS. */
export const ReportPeriodRequest = z.union([
  z.object({ from: Instant, to: Instant }),
  z.object({ shift: z.enum(["current", "last"]) }),
]);
export type ReportPeriodRequest = z.infer<typeof ReportPeriodRequest>;

/** Money helper kept here so report producers and tests agree on its meaning. */
export const ReportMoney = Money;
