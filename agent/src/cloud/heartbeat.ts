/**
 * `POST /agent/v1/heartbeat` every `heartbeatSeconds` (30 by default, then
 * whatever the cloud's answer says). It carries the POS state, so the cloud
 * can tell "restaurant offline" (no heartbeats) from "POS down, agent up"
 * (`pos.online: false`), and the spool backlog. The answer's `serverTime`
 * keeps the signing clock honest and its `config` tunes the agent.
 */
import { type Heartbeat, HeartbeatResult } from "../../../src/protocol/heartbeat";
import type { Logger } from "../log";
import { Backoff } from "../util/backoff";
import { sleep } from "../util/sleep";
import { type CloudClient, excerpt, NetworkError } from "./client";

export type CloudConfig = HeartbeatResult["config"];

export interface HeartbeatOptions {
  client: CloudClient;
  log: Logger;
  body: () => Promise<Heartbeat>;
  onConfig: (config: CloudConfig) => void;
  warn: (code: string, message: string, details?: Record<string, unknown>) => void;
  intervalSeconds?: number;
  /** Skew beyond which the agent warns and signs with the cloud's clock. */
  skewToleranceSeconds?: number;
}

export class HeartbeatLoop {
  private intervalMs: number;
  private readonly backoff = new Backoff({ baseMs: 2000, maxMs: 60_000, minMs: 500 });
  private skewWarnedAt = 0;
  lastOkAt?: string;
  lastError?: string;

  constructor(private readonly opts: HeartbeatOptions) {
    this.intervalMs = (opts.intervalSeconds ?? 30) * 1000;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const ok = await this.beat(signal);
      await sleep(ok ? this.intervalMs : Math.min(this.intervalMs, this.backoff.next()), signal);
    }
  }

  async beat(signal?: AbortSignal): Promise<boolean> {
    const { client, log } = this.opts;
    const body = await this.opts.body();
    const sentAt = Date.now();
    try {
      const res = await client.post("/agent/v1/heartbeat", JSON.stringify(body), signal);
      if (res.status !== 200) {
        this.lastError = `${res.status} ${res.errorCode ?? excerpt(res.text, 200)}`;
        if (res.status === 401 && res.errorCode === "stale_timestamp") client.learnClockFrom(res, sentAt);
        log.warn("heartbeat refused", { status: res.status, code: res.errorCode, body: excerpt(res.text, 1000) });
        return false;
      }
      const result = HeartbeatResult.safeParse(JSON.parse(res.text));
      if (!result.success) {
        log.warn("heartbeat answer not understood", { body: excerpt(res.text, 500) });
        return true;
      }
      this.checkSkew(Date.parse(result.data.serverTime), sentAt, Date.now());
      const cfg = result.data.config;
      if (cfg.heartbeatSeconds > 0) this.intervalMs = Math.min(Math.max(cfg.heartbeatSeconds, 5), 3600) * 1000;
      this.opts.onConfig(cfg);
      this.lastOkAt = new Date().toISOString();
      this.lastError = undefined;
      this.backoff.reset();
      return true;
    } catch (e) {
      if (signal?.aborted) return false;
      this.lastError = e instanceof NetworkError ? e.message : String(e);
      log.debug("heartbeat failed", { error: this.lastError });
      return false;
    }
  }

  private checkSkew(serverMs: number, sentAt: number, receivedAt: number): void {
    if (!Number.isFinite(serverMs)) return;
    const skewMs = serverMs - (sentAt + receivedAt) / 2;
    const tolerance = (this.opts.skewToleranceSeconds ?? 60) * 1000;
    if (Math.abs(skewMs) <= tolerance) {
      if (this.opts.client.clockOffsetMs !== 0 && Math.abs(skewMs) < 5000) this.opts.client.setClockOffset(0);
      return;
    }
    this.opts.client.setClockOffset(skewMs);
    const s = Math.round(skewMs / 1000);
    if (Date.now() - this.skewWarnedAt > 6 * 3600_000) {
      this.skewWarnedAt = Date.now();
      this.opts.log.warn("this computer's clock differs from the cloud's; signing with the cloud's time. Fix Windows time synchronisation.", { skewSeconds: s });
      this.opts.warn("clock_skew", `The cash server's clock is off by ${s} s compared with the cloud.`, { skewSeconds: s });
    }
  }
}
