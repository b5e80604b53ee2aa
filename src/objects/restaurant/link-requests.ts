/**
 * Requests the cloud sends to an agent over its link, and the answers that
 * come back as frames. Reports are asked by someone waiting (a chat), so they
 * live in memory for the length of one RPC: the waiting call keeps the object
 * awake, and if the object restarts the caller's call fails anyway. Order
 * exports outlive any call: which order asked is stored, so a late answer still
 * reaches the right order object after a restart.
 */
import type { AgentFrame, CloudFrame } from "../../protocol/link";
import type { ReportAnswer } from "../../domain/reports/answer";
import type { ReportKind, ReportPeriodRequest } from "../../protocol/report";

/** What a waiting caller gets: the report, or why not (defined with its rendering in the domain). */
export type { ReportAnswer } from "../../domain/reports/answer";

export interface ReportQuery {
  report: ReportKind;
  period: ReportPeriodRequest;
}

type Waiter = { requestId: string; promise: Promise<ReportAnswer>; settle: (a: ReportAnswer) => void; callers: number };

/** Open report requests of one restaurant object, deduplicated by what they ask. */
export class PendingReports {
  private readonly byKey = new Map<string, Waiter>();
  private readonly byId = new Map<string, string>();

  /**
   * Sends the request unless an identical one is already on its way; every
   * caller gets the same answer from one agent round trip.
   */
  ask(query: ReportQuery, send: (frame: CloudFrame) => void, timeoutMs: number, newId: () => string): Promise<ReportAnswer> {
    const key = JSON.stringify([query.report, query.period]);
    const existing = this.byKey.get(key);
    if (existing) {
      existing.callers++;
      return existing.promise;
    }

    const requestId = newId();
    let settle!: (a: ReportAnswer) => void;
    const promise = new Promise<ReportAnswer>((resolve) => (settle = resolve));
    const timer = setTimeout(() => finish({ ok: false, reason: "timeout" }), timeoutMs);
    const finish = (answer: ReportAnswer) => {
      clearTimeout(timer);
      this.byKey.delete(key);
      this.byId.delete(requestId);
      settle(answer);
    };
    this.byKey.set(key, { requestId, promise, settle: finish, callers: 1 });
    this.byId.set(requestId, key);
    try {
      send({ type: "report.request", requestId, report: query.report, period: query.period });
    } catch (err) {
      // The socket is already closing: for the chat that is the till going offline now.
      console.warn(`report.request not sent: ${String(err)}`);
      finish({ ok: false, reason: "offline", lastSeenAt: Date.now() });
    }
    return promise;
  }

  /** Requests on their way to the agent and how many callers wait on each (for the status of the object and tests). */
  inFlight(): Array<{ requestId: string; callers: number }> {
    return [...this.byKey.values()].map((w) => ({ requestId: w.requestId, callers: w.callers }));
  }

  /** A report frame from the agent; false when nobody is waiting for it (late or unknown). */
  answer(frame: Extract<AgentFrame, { type: "report.result" | "report.error" }>): boolean {
    const key = this.byId.get(frame.requestId);
    const waiter = key ? this.byKey.get(key) : undefined;
    if (!waiter) return false;
    waiter.settle(frame.type === "report.result" ? { ok: true, report: frame.report } : { ok: false, reason: "agent_error", message: frame.message });
    return true;
  }

  /** The link these requests went out on closed at `at`: no answer can come back, the till is offline since then. */
  failAll(at: number): void {
    for (const w of [...this.byKey.values()]) w.settle({ ok: false, reason: "offline", lastSeenAt: at });
  }
}
