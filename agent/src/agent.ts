/**
 * The agent: a POS source feeding the durable spool, a sender draining it to
 * the cloud, a heartbeat, and the link answering the cloud's requests.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Heartbeat } from "../../src/protocol/heartbeat";
import { AGENT_VERSION } from "./version";
import { CloudClient } from "./cloud/client";
import { HeartbeatLoop, type CloudConfig } from "./cloud/heartbeat";
import { Link } from "./cloud/link";
import { ExportMemo, makeRequestHandler } from "./cloud/requests";
import { Sender } from "./cloud/sender";
import type { AgentConfig } from "./config/config";
import { finalizeDraft } from "./events/finalize";
import type { Logger } from "./log";
import { RKeeper7Source } from "./rkeeper7/rkeeper7-source";
import { SimulatorSource } from "./simulator/simulator-source";
import type { EventDraft, EventSink, Source } from "./source";
import { Spool } from "./spool/spool";

export const DEFAULT_TIMEZONE = "Europe/Moscow";

export interface AgentOptions {
  config: AgentConfig;
  log: Logger;
  /** Replaces the configured source (tests, benchmarks). */
  source?: Source;
  fetch?: typeof fetch;
  /** Faster loops for tests. */
  tuning?: { senderBackoff?: { baseMs: number; maxMs: number }; refusalBackoff?: { baseMs: number; maxMs: number }; linkBackoff?: { baseMs: number; maxMs: number }; pingSeconds?: number };
}

export class Agent implements EventSink {
  readonly spool: Spool;
  readonly client: CloudClient;
  readonly sender: Sender;
  readonly heartbeat: HeartbeatLoop;
  readonly link: Link;
  readonly source: Source;
  private readonly abort = new AbortController();
  private loops: Promise<unknown>[] = [];
  private warnCounter = 0;
  private timezone: string;

  private constructor(
    readonly config: AgentConfig,
    private readonly log: Logger,
    spool: Spool,
    source: Source,
    memo: ExportMemo,
    opts: AgentOptions,
  ) {
    this.spool = spool;
    this.source = source;
    this.timezone = config.timezone ?? DEFAULT_TIMEZONE;
    this.client = new CloudClient({ baseUrl: config.url, agentId: config.agentId, agentKey: config.agentKey, fetch: opts.fetch });
    const warn = (code: string, message: string, details?: Record<string, unknown>) => void this.warn(code, message, details);
    this.sender = new Sender({
      spool,
      client: this.client,
      log: log.child("sender"),
      limits: { maxBatchEvents: 500, maxBatchBytes: 1024 * 1024 },
      warn,
      backoff: opts.tuning?.senderBackoff,
      refusalBackoff: opts.tuning?.refusalBackoff,
    });
    this.heartbeat = new HeartbeatLoop({
      client: this.client,
      log: log.child("heartbeat"),
      intervalSeconds: config.heartbeatSeconds,
      body: () => this.heartbeatBody(),
      onConfig: (c) => this.applyCloudConfig(c),
      warn,
    });
    this.link = new Link({
      client: this.client,
      log: log.child("link"),
      pingSeconds: opts.tuning?.pingSeconds,
      backoff: opts.tuning?.linkBackoff,
      handlers: {
        onRequest: makeRequestHandler({ source, memo, log: log.child("requests") }),
        onConnected: () => this.sender.poke(),
      },
    });
  }

  static async start(opts: AgentOptions): Promise<Agent> {
    const { config, log } = opts;
    await mkdir(config.spool, { recursive: true });
    const early: Array<[string, string, Record<string, unknown>]> = [];
    let agent: Agent | undefined;
    const spool = await Spool.open(path.join(config.spool), {
      maxBytes: config.spoolMaxMb * 1024 * 1024,
      warnBytes: Math.floor((config.spoolMaxMb * 1024 * 1024 * config.spoolWarnPercent) / 100),
      onWarning: (code, message, details) => {
        log.warn(message, { code });
        if (agent) void agent.warn(code, message, details);
        else early.push([code, message, details]);
      },
    });
    const memo = await ExportMemo.open(config.spool);
    const source = opts.source ?? createSource(config, log);
    agent = new Agent(config, log, spool, source, memo, opts);
    for (const [code, message, details] of early) await agent.warn(code, message, details);
    const stats = await spool.stats();
    log.info("agent starting", { version: AGENT_VERSION, source: source.kind, spool: config.spool, pending: stats.pending, nextSeq: stats.nextSeq });
    const signal = agent.abort.signal;
    agent.loops = [agent.sender.run(signal), agent.heartbeat.run(signal), agent.link.run(signal)];
    await source.start(agent);
    return agent;
  }

  /** EventSink: validates, spools (fsync) and resolves once durable. */
  async emit(drafts: EventDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    const finals = drafts.map(finalizeDraft);
    for (const f of finals) if (f.invalid) this.log.warn("an event failed validation and was kept as pos.unclassified", { id: f.id, why: f.invalid });
    await this.spool.append(finals);
  }

  /** An `agent.warning` event for the chats, plus the log line. */
  async warn(code: string, message: string, details?: Record<string, unknown>): Promise<void> {
    const id = `agent-warning-${code}-${Date.now()}-${++this.warnCounter}`.slice(0, 64);
    try {
      await this.emit([
        {
          id,
          type: "agent.warning",
          occurredAt: new Date().toISOString(),
          data: { code: code.slice(0, 64), message: message.slice(0, 4000), ...(details ? { details } : {}) },
        },
      ]);
    } catch (e) {
      this.log.error("could not spool a warning", { code, error: e });
    }
  }

  private async heartbeatBody(): Promise<Heartbeat> {
    const pos = this.source.status();
    const s = await this.spool.stats();
    return {
      agentVersion: AGENT_VERSION,
      pos: { kind: pos.kind, ...(pos.version ? { version: pos.version.slice(0, 64) } : {}), online: pos.online, ...(pos.detail ? { detail: pos.detail.slice(0, 4000) } : {}) },
      stations: pos.stations.slice(0, 200),
      spool: { pending: s.pending, bytes: s.bytes, ...(s.oldestAt ? { oldestAt: s.oldestAt } : {}), quarantined: s.quarantined },
      sentAt: new Date(Date.now() + this.client.clockOffsetMs).toISOString(),
    };
  }

  private applyCloudConfig(c: CloudConfig): void {
    if (c.maxBatchEvents > 0 && c.maxBatchBytes > 0) {
      this.sender.setLimits({ maxBatchEvents: Math.min(c.maxBatchEvents, 500), maxBatchBytes: Math.min(c.maxBatchBytes, 1024 * 1024) });
    }
    if (!this.config.timezone && c.timezone && c.timezone !== this.timezone) {
      this.timezone = c.timezone;
      this.source.setTimezone?.(c.timezone);
      this.log.info("restaurant time zone from the cloud", { timezone: c.timezone });
    }
  }

  async stop(): Promise<void> {
    await this.source.stop();
    this.abort.abort();
    await Promise.allSettled(this.loops);
    await this.spool.close();
  }
}

function createSource(config: AgentConfig, log: Logger): Source {
  const timezone = config.timezone ?? DEFAULT_TIMEZONE;
  if (config.source === "simulator") {
    return new SimulatorSource({
      seed: config.seed,
      speed: config.speed,
      startMs: config.simStart ? Date.parse(config.simStart) : undefined,
      timezone,
      currency: config.currency,
      autoReports: config.autoReports,
      log: log.child("simulator"),
    });
  }
  return new RKeeper7Source({ config, timezone, log: log.child("rkeeper7") });
}
