/**
 * Drains the spool to `POST /agent/v1/events`, one batch in flight at a time
 * (so an `ackSeq` never covers a batch that is still unanswered), as fast as
 * the cloud answers while there is a backlog.
 *
 *  - 200: the spool forgets everything up to `ackSeq`.
 *  - network error, 5xx: retry the same batch after backoff with jitter.
 *  - 429: wait `Retry-After` (at least), then retry.
 *  - 400 `invalid_body`: the named events go to the dead-letter file, the
 *    rest is resent; with no event named, the batch is halved until the bad
 *    event is alone.
 *  - 413: halve the batch.
 *  - 401 `stale_timestamp`: learn the cloud's clock, warn, retry.
 *  - any other 4xx: log the body, wait long (never spin), retry.
 */
import { EventBatchResult } from "../../../src/protocol/events";
import type { Logger } from "../log";
import type { Spool } from "../spool/spool";
import { Backoff } from "../util/backoff";
import { Wakeup, sleep } from "../util/sleep";
import { badEventIndices, batchBody, BATCH_OVERHEAD_BYTES, issuesFor } from "./batch";
import { type CloudClient, type CloudResponse, excerpt, NetworkError } from "./client";

export interface SenderLimits {
  maxBatchEvents: number;
  maxBatchBytes: number;
}

export interface SenderOptions {
  spool: Spool;
  client: CloudClient;
  log: Logger;
  limits: SenderLimits;
  /** Agent trouble worth an `agent.warning` (clock skew, quarantined events, refused credentials). */
  warn: (code: string, message: string, details?: Record<string, unknown>) => void;
  backoff?: { baseMs: number; maxMs: number };
  /** Wait after a 4xx the agent cannot fix by itself. */
  refusalBackoff?: { baseMs: number; maxMs: number };
  idlePollMs?: number;
}

export interface SenderStatus {
  lastSuccessAt?: string;
  lastError?: string;
  consecutiveFailures: number;
  sentEvents: number;
}

export class Sender {
  private readonly wake = new Wakeup();
  private readonly backoff: Backoff;
  private readonly refusal: Backoff;
  /** After the last successful batch: the next batch starts above this seq. */
  private cursor: number;
  /** Temporarily smaller batches while isolating a bad event or after a 413. */
  private countCap: number;
  private bytesCap: number;
  private skewWarned = false;
  readonly status: SenderStatus = { consecutiveFailures: 0, sentEvents: 0 };
  private unsubscribe: () => void;

  constructor(private readonly opts: SenderOptions) {
    this.backoff = new Backoff({ baseMs: opts.backoff?.baseMs ?? 1000, maxMs: opts.backoff?.maxMs ?? 60_000, minMs: 200 });
    this.refusal = new Backoff({ baseMs: opts.refusalBackoff?.baseMs ?? 60_000, maxMs: opts.refusalBackoff?.maxMs ?? 15 * 60_000, minMs: 30_000 });
    this.cursor = opts.spool.ackedSeq;
    this.countCap = opts.limits.maxBatchEvents;
    this.bytesCap = opts.limits.maxBatchBytes;
    this.unsubscribe = opts.spool.onAppend(() => this.wake.notify());
  }

  /** New limits from the cloud's heartbeat config. */
  setLimits(limits: SenderLimits): void {
    this.opts.limits = limits;
    this.countCap = Math.min(this.countCap, limits.maxBatchEvents) || limits.maxBatchEvents;
    this.bytesCap = Math.min(this.bytesCap, limits.maxBatchBytes) || limits.maxBatchBytes;
  }

  /** Wake the loop now (e.g. the link came back). */
  poke(): void {
    this.wake.notify();
  }

  async run(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        const waitMs = await this.step(signal);
        if (waitMs === 0) continue;
        if (waitMs === Infinity) await this.wake.wait(this.opts.idlePollMs ?? 5000, signal);
        else await sleep(waitMs, signal);
      }
    } finally {
      this.unsubscribe();
    }
  }

  /** One batch. Returns how long to wait before the next: 0 now, Infinity until new events. */
  async step(signal?: AbortSignal): Promise<number> {
    const { spool, client, log } = this.opts;
    this.cursor = Math.max(this.cursor, spool.ackedSeq);
    const batch = await spool.readBatch(this.cursor, this.countCap, this.bytesCap - BATCH_OVERHEAD_BYTES);
    if (batch.length === 0) return Infinity;
    const body = batchBody(batch);
    const sentAt = Date.now();
    let res: CloudResponse;
    try {
      res = await client.post("/agent/v1/events", body, signal);
    } catch (e) {
      if (signal?.aborted) return 0;
      return this.failed(e instanceof NetworkError ? e.message : String(e), this.backoff.next());
    }

    if (res.status === 200) {
      let result;
      try {
        result = EventBatchResult.parse(JSON.parse(res.text));
      } catch {
        return this.failed(`unreadable 200 answer: ${excerpt(res.text)}`, this.backoff.next());
      }
      await spool.ack(result.ackSeq);
      this.cursor = Math.max(this.cursor, batch[batch.length - 1]!.seq);
      this.status.sentEvents += batch.length;
      this.status.lastSuccessAt = new Date().toISOString();
      this.status.consecutiveFailures = 0;
      this.status.lastError = undefined;
      this.backoff.reset();
      this.refusal.reset();
      this.countCap = Math.min(this.opts.limits.maxBatchEvents, this.countCap * 2);
      this.bytesCap = Math.min(this.opts.limits.maxBatchBytes, this.bytesCap * 2);
      log.debug("batch stored", { events: batch.length, first: batch[0]!.seq, ackSeq: result.ackSeq, accepted: result.accepted, duplicates: result.duplicates });
      return 0;
    }

    const what = `${res.status} ${res.errorCode ?? ""} ${excerpt(res.errorMessage ?? res.text)}`.replace(/\s+/g, " ").trim();
    if (res.status === 400 && res.errorCode === "invalid_body") {
      const bad = badEventIndices(res.issues, batch.length);
      if (bad.length === 0 && batch.length > 1) {
        this.countCap = Math.max(1, Math.ceil(batch.length / 2));
        log.warn("cloud refused a batch without naming an event; retrying in halves to isolate it", { events: batch.length, response: what });
        return 0;
      }
      const indices = bad.length > 0 ? bad : [0];
      const quarantined = indices.map((i) => ({ ...batch[i]!, issues: bad.length > 0 ? issuesFor(res.issues, i) : (res.issues ?? []) }));
      await spool.quarantine(quarantined, `cloud answered 400 invalid_body`);
      const ids = quarantined.map((q) => idOf(q.json));
      log.error("cloud refused events as invalid; moved to the dead-letter file, sending the rest", { seqs: quarantined.map((q) => q.seq), ids, response: what });
      this.opts.warn("events_quarantined", `${quarantined.length} event(s) were refused by the cloud as invalid and set aside in dead-letter.jsonl`, {
        seqs: quarantined.map((q) => q.seq),
        ids,
        issues: quarantined.flatMap((q) => q.issues).slice(0, 20),
      });
      this.countCap = this.opts.limits.maxBatchEvents;
      return 0;
    }
    if (res.status === 413) {
      if (batch.length === 1) {
        await spool.quarantine([{ ...batch[0]!, issues: [{ message: "too large for the cloud" }] }], "cloud answered 413 too_large for a single event");
        this.opts.warn("events_quarantined", "an event too large for the cloud was set aside in dead-letter.jsonl", { seq: batch[0]!.seq });
        return 0;
      }
      this.countCap = Math.max(1, Math.floor(batch.length / 2));
      this.bytesCap = Math.max(64 * 1024, Math.floor(this.bytesCap / 2));
      log.warn("cloud said the batch is too large; halving", { events: batch.length });
      return 0;
    }
    if (res.status === 401 && res.errorCode === "stale_timestamp") {
      const skew = client.learnClockFrom(res, sentAt);
      log.error("cloud refused our timestamp: the clock of this computer is wrong. Fix Windows time synchronisation; signing with the cloud's time meanwhile.", {
        skewSeconds: skew,
        response: what,
      });
      if (!this.skewWarned) {
        this.skewWarned = true;
        this.opts.warn("clock_skew", `The cash server's clock is off by about ${skew ?? "?"} s; requests are signed with the cloud's time until it is fixed.`, { skewSeconds: skew });
      }
      return this.failed(what, skew === null ? this.refusal.next() : 1000);
    }
    if (res.status === 429) {
      const retryAfter = Number(res.headers.get("retry-after"));
      return this.failed(what, this.backoff.nextAtLeast(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000));
    }
    if (res.status >= 500) return this.failed(what, this.backoff.next());
    // 401/403/404/other 4xx: a human must act (wrong key, agent revoked, bad URL).
    log.error("cloud refused the events request; will retry slowly", { response: what, body: excerpt(res.text, 2000) });
    return this.failed(what, this.refusal.next());
  }

  private failed(message: string, waitMs: number): number {
    this.status.consecutiveFailures++;
    this.status.lastError = message;
    const level = this.status.consecutiveFailures === 1 || this.status.consecutiveFailures % 20 === 0 ? "warn" : "debug";
    this.opts.log[level]("sending events failed; retrying", { error: message, retryInMs: waitMs, failures: this.status.consecutiveFailures });
    return Math.max(1, waitMs);
  }
}

function idOf(json: string): string | undefined {
  const m = /^\{"id":"((?:[^"\\]|\\.)*)"/.exec(json);
  return m?.[1];
}
