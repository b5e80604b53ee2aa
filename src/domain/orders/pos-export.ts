/**
 * The order's export to the POS: `not_sent` (grey) → `pending` (orange) →
 * `created` (green) | `failed` (red, with the log). While pending, the order
 * re-asks the agent every poll interval until a final answer, up to
 * `maxAsks` asks actually handed to the agent; an offline agent costs no ask
 * (the order stays pending and asks again when the agent is back).
 */
import type { DomainError, PosExport } from "./types";

export const LOG_LIMIT = 100;
/** Asks handed to the agent before the order gives up with `failed`. */
export const POS_EXPORT_MAX_ASKS = 10;

export const initialExport = (): PosExport => ({
  state: "not_sent",
  requestId: null,
  asks: 0,
  requestedAt: null,
  lastAskedAt: null,
  nextAskAt: null,
  posOrderId: null,
  reason: null,
  log: [],
});

const stamp = (now: number, line: string) => `${new Date(now).toISOString()} ${line}`;
const withLog = (log: string[], ...lines: string[]) => [...log, ...lines].slice(-LOG_LIMIT);

/** Starts (or restarts) the export with a fresh request id; the first ask is due at once. */
export function requestExport(
  e: PosExport,
  requestId: string,
  now: number,
): { ok: true; export: PosExport } | { ok: false; error: DomainError } {
  if (e.state === "created") {
    return { ok: false, error: { status: 409, code: "already_exported", message: "the order is already created in the POS" } };
  }
  return {
    ok: true,
    export: {
      ...e,
      state: "pending",
      requestId,
      asks: 0,
      requestedAt: now,
      nextAskAt: now,
      reason: null,
      log: withLog(e.log, stamp(now, `export requested (${requestId})`)),
    },
  };
}

/** What is due at `now` for a pending export: nothing, ask the agent, or give up. */
export function exportDue(e: PosExport, now: number, maxAsks = POS_EXPORT_MAX_ASKS): "none" | "ask" | "give_up" {
  if (e.state !== "pending" || e.nextAskAt === null || e.nextAskAt > now) return "none";
  return e.asks >= maxAsks ? "give_up" : "ask";
}

/** After an ask: `sent` says whether the agent's link took it. */
export function asked(e: PosExport, sent: boolean, now: number, pollMs: number): PosExport {
  if (e.state !== "pending") return e;
  return {
    ...e,
    asks: sent ? e.asks + 1 : e.asks,
    lastAskedAt: sent ? now : e.lastAskedAt,
    nextAskAt: now + pollMs,
    log: withLog(e.log, stamp(now, sent ? `asked the agent (${e.asks + 1})` : "agent offline; will ask again")),
  };
}

export function giveUp(e: PosExport, now: number): PosExport {
  const reason = `no final answer from the POS after ${e.asks} asks`;
  return { ...e, state: "failed", nextAskAt: null, reason, log: withLog(e.log, stamp(now, reason)) };
}

/**
 * The agent's answer. Answers to an older request, or arriving after the
 * export was settled, change nothing (`changed: false`).
 */
export function exportAnswer(
  e: PosExport,
  answer: { requestId: string; status: "created" | "failed" | "pending"; posOrderId?: string | undefined; log?: string[] | undefined },
  now: number,
): { export: PosExport; changed: boolean } {
  if (e.state !== "pending" || answer.requestId !== e.requestId) return { export: e, changed: false };
  const lines = (answer.log ?? []).map((l) => stamp(now, `agent: ${l}`));
  if (answer.status === "pending") return { export: { ...e, log: withLog(e.log, ...lines) }, changed: lines.length > 0 };
  if (answer.status === "created") {
    return {
      export: {
        ...e,
        state: "created",
        nextAskAt: null,
        posOrderId: answer.posOrderId ?? null,
        log: withLog(e.log, ...lines, stamp(now, `created in the POS${answer.posOrderId ? ` as ${answer.posOrderId}` : ""}`)),
      },
      changed: true,
    };
  }
  const reason = answer.log?.at(-1) ?? "the POS refused the order";
  return {
    export: { ...e, state: "failed", nextAskAt: null, reason, log: withLog(e.log, ...lines, stamp(now, "the POS did not create the order")) },
    changed: true,
  };
}
