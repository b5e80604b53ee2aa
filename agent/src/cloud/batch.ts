/** Pure helpers for `POST /agent/v1/events` batches. */
import type { PendingEvent } from "../spool/spool";

/**
 * The request body, built from the spooled JSON text as is (never
 * re-serialised). `floorSeq` is the batch's first seq: everything below it
 * is acknowledged, quarantined or dropped, so the cloud's `ackSeq` may pass
 * any gap below it.
 */
export function batchBody(events: readonly PendingEvent[]): string {
  if (events.length === 0) throw new Error("empty batch");
  return `{"events":[${events.map((e) => e.json).join(",")}],"floorSeq":${events[0]!.seq}}`;
}

/** Bytes of the body around the events themselves (brackets, commas, floorSeq). */
export const BATCH_OVERHEAD_BYTES = 64;

/**
 * Indices of the events a 400 `invalid_body` names, from zod issue paths such
 * as `["events", 3, "items"]`. Empty when the issues do not point at events.
 */
export function badEventIndices(issues: unknown[] | undefined, batchLength: number): number[] {
  const out = new Set<number>();
  for (const issue of issues ?? []) {
    const p = (issue as { path?: unknown })?.path;
    if (!Array.isArray(p) || p[0] !== "events") continue;
    const i = typeof p[1] === "number" ? p[1] : typeof p[1] === "string" && /^\d+$/.test(p[1]) ? Number(p[1]) : NaN;
    if (Number.isInteger(i) && i >= 0 && i < batchLength) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** The issues that concern event `index` (for the dead-letter record). */
export function issuesFor(issues: unknown[] | undefined, index: number): unknown[] {
  return (issues ?? []).filter((issue) => {
    const p = (issue as { path?: unknown })?.path;
    return Array.isArray(p) && p[0] === "events" && Number(p[1]) === index;
  });
}
