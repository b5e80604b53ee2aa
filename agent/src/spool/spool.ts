/**
 * The event spool: every event the agent makes is fsynced here before the POS
 * (or the simulator) is told it was received, and stays until the cloud's
 * `ackSeq` covers it. State beside the segments (`state.json`, replaced
 * atomically) holds the acknowledged floor, the quarantined seqs and counters.
 *
 * Disk use is bounded: past `warnBytes` the owner is told once (it sends an
 * `agent.warning`); past `maxBytes` the oldest unsent segment is dropped, the
 * loss is counted and reported, and the newest events survive.
 */
import { appendFile } from "node:fs/promises";
import path from "node:path";
import { readJsonFile, writeFileAtomic } from "../util/atomic-file";
import { Journal, type OpenReport } from "./journal";

export interface SpoolOptions {
  maxBytes: number;
  /** Warn when the spool grows past this many bytes. */
  warnBytes: number;
  segmentBytes?: number;
  /** Told about disk pressure and damage; the agent turns these into `agent.warning` events. */
  onWarning?: (code: SpoolWarningCode, message: string, details: Record<string, unknown>) => void;
  /** Clock for the first seq of a fresh spool (tests). */
  now?: () => number;
}

export type SpoolWarningCode = "spool_high" | "spool_overflow" | "spool_damaged";

interface SpoolState {
  v: 1;
  ackedSeq: number;
  /** Seqs above `ackedSeq` that were moved to the dead-letter file and must not be sent. */
  quarantined: number[];
  deadLettered: number;
  dropped: number;
}

export interface PendingEvent {
  seq: number;
  /** The event as JSON text, exactly as it will be sent. */
  json: string;
}

export interface SpoolStats {
  pending: number;
  bytes: number;
  oldestAt?: string;
  quarantined: number;
  dropped: number;
  nextSeq: number;
  ackedSeq: number;
}

export interface NewEvent {
  id: string;
  /** Builds the event's JSON once its seq is known. */
  toJson(seq: number): string;
}

const RECENT_IDS = 20_000;
const ID_RE = /^\{"id":"((?:[^"\\]|\\.)*)"/;

export class Spool {
  private state: SpoolState;
  private recentIds = new Map<string, number>();
  private warned = false;
  private oldestCache: { seq: number; at?: string } | null = null;
  private listeners = new Set<() => void>();

  private constructor(
    readonly dir: string,
    private readonly journal: Journal,
    state: SpoolState,
    private readonly opts: SpoolOptions,
  ) {
    this.state = state;
  }

  static async open(dir: string, opts: SpoolOptions): Promise<Spool> {
    const statePath = path.join(dir, "state.json");
    let state = await readJsonFile<SpoolState | null>(statePath, null).catch(() => null);
    const damagedState = state === null;
    state ??= { v: 1, ackedSeq: 0, quarantined: [], deadLettered: 0, dropped: 0 };
    const ids: Array<[string, number]> = [];
    const journal = await Journal.open(path.join(dir, "events"), {
      segmentBytes: opts.segmentBytes,
      // A fresh spool (new install, wiped or unreadable state) numbers from the
      // current unix time in ms, so its seqs are above anything this agent
      // sent before and the cloud's ackSeq never waits for seqs that are gone.
      minNextSeq: damagedState ? Math.max(state.ackedSeq + 1, Math.floor((opts.now ?? Date.now)())) : state.ackedSeq + 1,
      onRecordAtOpen: (seq, payload) => {
        const m = ID_RE.exec(payload.subarray(0, 200).toString("utf8"));
        if (m) {
          ids.push([m[1]!, seq]);
          if (ids.length > RECENT_IDS * 2) ids.splice(0, ids.length - RECENT_IDS);
        }
      },
    });
    // Nothing below the first seq of a fresh spool will ever be sent: record
    // that, so a restart before the first event keeps numbering from here.
    if (damagedState) state.ackedSeq = Math.max(state.ackedSeq, (journal.firstSeq ?? journal.nextSeq) - 1);
    const spool = new Spool(dir, journal, state, opts);
    for (const [id, seq] of ids.slice(-RECENT_IDS)) spool.recentIds.set(id, seq);
    if (damagedState) await spool.saveState();
    spool.reportOpenDamage(journal.openReport);
    return spool;
  }

  private reportOpenDamage(r: OpenReport): void {
    if (r.truncatedTailBytes === 0 && r.damaged.length === 0 && r.setAside.length === 0) return;
    this.opts.onWarning?.(
      "spool_damaged",
      `Spool files were damaged (power cut?): ${r.truncatedTailBytes} torn bytes cut, ${r.damaged.length} damaged stretches skipped; every intact event is kept.`,
      { truncatedTailBytes: r.truncatedTailBytes, damaged: r.damaged, setAside: r.setAside },
    );
  }

  get ackedSeq(): number {
    return this.state.ackedSeq;
  }

  get nextSeq(): number {
    return this.journal.nextSeq;
  }

  /** Called after every append (the sender wakes up). */
  onAppend(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  /** True when an event with this id is already in the spool (recently). */
  has(id: string): boolean {
    return this.recentIds.has(id);
  }

  /**
   * Appends events (one fsync for the lot) and resolves with their seqs once
   * they are durable. Events whose id is already spooled are skipped (their
   * entry in the result is the earlier seq).
   */
  append(events: NewEvent[]): Promise<number[]> {
    return this.serial(() => this.appendNow(events));
  }

  private async appendNow(events: NewEvent[]): Promise<number[]> {
    const fresh: NewEvent[] = [];
    const inBatch = new Set<string>();
    for (const e of events) {
      if (this.recentIds.has(e.id) || inBatch.has(e.id)) continue;
      inBatch.add(e.id);
      fresh.push(e);
    }
    let seqs: number[] = [];
    if (fresh.length > 0) {
      const first = this.journal.nextSeq;
      const payloads = fresh.map((e, i) => Buffer.from(e.toJson(first + i), "utf8"));
      seqs = await this.journal.append(payloads);
      if (seqs[0] !== first) throw new Error(`spool seq mismatch: expected ${first}, journal gave ${seqs[0]}`);
      fresh.forEach((e, i) => this.rememberId(e.id, seqs[i]!));
      await this.enforceBounds();
      for (const f of this.listeners) f();
    }
    return events.map((e) => this.recentIds.get(e.id) ?? 0);
  }

  private rememberId(id: string, seq: number): void {
    this.recentIds.set(id, seq);
    if (this.recentIds.size > RECENT_IDS) {
      const oldest = this.recentIds.keys().next().value;
      if (oldest !== undefined) this.recentIds.delete(oldest);
    }
  }

  private async enforceBounds(): Promise<void> {
    let total = this.journal.totalBytes;
    if (total > this.opts.maxBytes) {
      let droppedEvents = 0;
      let droppedThrough = 0;
      while (this.journal.totalBytes > this.opts.maxBytes) {
        if (this.journal.segmentList.length < 2) await this.journal.rotate();
        const seg = await this.journal.dropOldest();
        if (!seg) break;
        const unacked = Math.max(0, seg.lastSeq - Math.max(seg.firstSeq - 1, this.state.ackedSeq));
        droppedEvents += Math.min(unacked, seg.count);
        droppedThrough = seg.lastSeq;
      }
      if (droppedThrough > this.state.ackedSeq) {
        // The dropped seqs will never be sent: treat them as passed.
        this.state.ackedSeq = droppedThrough;
        this.state.quarantined = this.state.quarantined.filter((q) => q > droppedThrough);
      }
      this.state.dropped += droppedEvents;
      await this.saveState();
      this.opts.onWarning?.(
        "spool_overflow",
        `Spool is full (${mb(this.opts.maxBytes)}): dropped the ${droppedEvents} oldest unsent events to keep the newest. The cloud has been unreachable for too long.`,
        { droppedEvents, droppedThroughSeq: droppedThrough, maxBytes: this.opts.maxBytes },
      );
      total = this.journal.totalBytes;
    }
    if (!this.warned && total > this.opts.warnBytes) {
      this.warned = true;
      this.opts.onWarning?.(
        "spool_high",
        `Spool holds ${mb(total)} of unsent events (warning threshold ${mb(this.opts.warnBytes)}, limit ${mb(this.opts.maxBytes)}). Check the internet connection of the cash server.`,
        { bytes: total, warnBytes: this.opts.warnBytes, maxBytes: this.opts.maxBytes },
      );
    } else if (this.warned && total < this.opts.warnBytes * 0.8) {
      this.warned = false;
    }
  }

  /**
   * Up to `maxCount` unacknowledged events after `afterSeq`, within `maxBytes`
   * of JSON. Quarantined events are skipped; a batch never reaches across one,
   * so every batch is a contiguous run and its first seq can serve as `floorSeq`.
   */
  async readBatch(afterSeq: number, maxCount: number, maxBytes: number): Promise<PendingEvent[]> {
    const from = Math.max(afterSeq, this.state.ackedSeq) + 1;
    const records = await this.journal.read(from, maxCount + this.state.quarantined.length, maxBytes);
    const out: PendingEvent[] = [];
    const q = new Set(this.state.quarantined);
    for (const r of records) {
      if (q.has(r.seq)) {
        if (out.length > 0) break;
        continue;
      }
      if (out.length > 0 && r.seq !== out[out.length - 1]!.seq + 1) break;
      out.push({ seq: r.seq, json: r.payload.toString("utf8") });
      if (out.length >= maxCount) break;
    }
    return out;
  }

  /** The cloud stored everything up to `ackSeq`: forget it. */
  ack(ackSeq: number): Promise<void> {
    return this.serial(() => this.ackNow(ackSeq));
  }

  private async ackNow(ackSeq: number): Promise<void> {
    if (!Number.isSafeInteger(ackSeq) || ackSeq <= this.state.ackedSeq) return;
    // Never past what we ever had: a confused cloud must not make us skip future seqs.
    const seq = Math.min(ackSeq, this.journal.nextSeq - 1);
    if (seq <= this.state.ackedSeq) return;
    this.state.ackedSeq = seq;
    this.state.quarantined = this.state.quarantined.filter((s) => s > seq);
    await this.saveState();
    await this.journal.dropThrough(seq);
    if (this.journal.totalBytes < this.opts.warnBytes * 0.8) this.warned = false;
  }

  /**
   * Moves events to the dead-letter file (`dead-letter.jsonl`) with the
   * reason, so they are never sent again and never block the ones behind.
   */
  quarantine(events: Array<PendingEvent & { issues: unknown[] }>, reason: string): Promise<void> {
    return this.serial(() => this.quarantineNow(events, reason));
  }

  private async quarantineNow(events: Array<PendingEvent & { issues: unknown[] }>, reason: string): Promise<void> {
    if (events.length === 0) return;
    const lines = events
      .map((e) => JSON.stringify({ at: new Date().toISOString(), seq: e.seq, reason, issues: e.issues, event: safeParse(e.json) }))
      .join("\n");
    await appendFile(path.join(this.dir, "dead-letter.jsonl"), lines + "\n");
    const set = new Set(this.state.quarantined);
    for (const e of events) if (e.seq > this.state.ackedSeq) set.add(e.seq);
    this.state.quarantined = [...set].sort((a, b) => a - b);
    this.state.deadLettered += events.length;
    await this.saveState();
  }

  async stats(): Promise<SpoolStats> {
    const last = this.journal.nextSeq - 1;
    const pendingRaw = this.journal.segmentList.reduce((n, s) => {
      if (s.count === 0 || s.lastSeq <= this.state.ackedSeq) return n;
      return n + Math.min(s.count, s.lastSeq - Math.max(s.firstSeq - 1, this.state.ackedSeq));
    }, 0);
    const pending = Math.max(0, pendingRaw - this.state.quarantined.length);
    let oldestAt: string | undefined;
    if (pending > 0) {
      const first = this.state.ackedSeq + 1;
      if (this.oldestCache?.seq !== first) {
        const [rec] = await this.readBatch(this.state.ackedSeq, 1, 1);
        this.oldestCache = { seq: first, at: rec ? occurredAtOf(rec.json) : undefined };
      }
      oldestAt = this.oldestCache.at;
    }
    return {
      pending,
      bytes: this.journal.totalBytes,
      oldestAt,
      quarantined: this.state.deadLettered,
      dropped: this.state.dropped,
      nextSeq: last + 1,
      ackedSeq: this.state.ackedSeq,
    };
  }

  private chain: Promise<unknown> = Promise.resolve();
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.chain.then(f, f);
    this.chain = run.catch(() => {});
    return run;
  }

  private saveState(): Promise<void> {
    return writeFileAtomic(path.join(this.dir, "state.json"), JSON.stringify(this.state));
  }

  close(): Promise<void> {
    return this.journal.close();
  }
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function occurredAtOf(json: string): string | undefined {
  try {
    const v = (JSON.parse(json) as { occurredAt?: unknown }).occurredAt;
    return typeof v === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
