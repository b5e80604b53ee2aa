/**
 * One per restaurant (`RESTAURANT.getByName(restaurantId)`). Owns the agents'
 * credentials and links, the event journal, connection watching, and the
 * outbox that hands events to D1 and to chat objects.
 *
 * A thin shell: state lives in its SQLite (it survives eviction), decisions
 * are pure functions from src/domain, every change commits together with the
 * outbox row it implies, and one alarm (armed for the earliest timer row)
 * does the slow work.
 */
import { DurableObject } from "cloudflare:workers";
import { and, eq, lt } from "drizzle-orm";
import { database } from "../db/client";
import { recordsDb } from "../db/shards";
import { agents as agentsTable, restaurants } from "../db/schema";
import { connectionEvent, posStateEvent } from "../domain/cloud-events";
import {
  check,
  nextCheckAt,
  seen,
  summarize,
  type AgentConnection,
  type ConnectionStatus,
} from "../domain/connection";
import { DAY_MS } from "../domain/licensing";
import type { ChatTarget, OutgoingMessage } from "../domain/outgoing";
import { config, type Config, type Env } from "../env";
import { zodIssues } from "../lib/errors";
import { parseJsonBytes } from "../lib/json";
import { ErrorBody } from "../protocol/common";
import { AgentFrame, PING_FRAME, PONG_FRAME, type CloudFrame, type OrderExportResultFrame } from "../protocol/link";
import type { OrderExport } from "../protocol/orders";
import {
  BATCH_MAX_EVENTS,
  EventBatch,
  type EventBatchResult,
  type TillEvent,
} from "../protocol/events";
import { Heartbeat, type HeartbeatResult } from "../protocol/heartbeat";
import { migrate } from "./lib/schema";
import { Timers } from "./lib/timers";
import { Credentials } from "./restaurant/credentials";
import { drainRoutes } from "./restaurant/drain";
import { EXPORT_REQUEST_TTL_MS, ExportRequests } from "./restaurant/export-requests";
import { PendingReports, type ReportAnswer, type ReportQuery } from "./restaurant/link-requests";
import { CLOUD_SOURCE, Journal, type JournalRow } from "./restaurant/journal";
import { RESTAURANT_MIGRATIONS } from "./restaurant/schema";

/** A request from an agent as the Worker received it; the object checks the signature. */
export interface SignedRequest {
  agentId: string;
  timestamp: string;
  /** Hex of the `v1=` signature. */
  signature: string;
  body: ArrayBuffer;
}

export type AgentAnswer<T> = { status: 200; body: T } | { status: 400 | 401 | 413 | 503; body: ErrorBody };

export interface AgentStatus {
  agentId: string;
  connection: AgentConnection;
  ackSeq: number;
  pos: { online: boolean | null; since: number | null };
  heartbeat: { at: number; agentVersion: string; pos: { kind: string; version?: string | undefined } } | null;
  linked: boolean;
  revoked: boolean;
}

export interface RestaurantStatus {
  restaurantId: string;
  connection: { state: ConnectionStatus; since: number | null };
  pos: { online: boolean | null; since: number | null };
  agents: AgentStatus[];
  lastEventAt: number | null;
  outbox: number;
}

type AgentRow = {
  agent_id: string;
  salt: string | null;
  revoked_at: number | null;
  status: ConnectionStatus;
  since: number | null;
  last_seen_at: number | null;
  outages: number;
  ack_seq: number;
  pos_online: number | null;
  pos_since: number | null;
  pos_changes: number;
  heartbeat: string | null;
  heartbeat_at: number | null;
};

const fail = (status: 400 | 401 | 413 | 503, code: string, message: string, issues?: unknown[]) => ({
  status,
  body: { error: { code, message, ...(issues ? { issues } : {}) } },
});

/** How often the coarse "last seen" / "last event" figures are copied to D1 for lists. */
const LIVE_SEEN_EVERY_MS = 5 * 60_000;
const LIVE_EVENT_EVERY_MS = 60_000;
/**
 * Routing waits this long after a batch so a burst is routed in one drain
 * (one D1 round trip) instead of one per batch; alerts still leave within
 * a fraction of a second.
 */
const DRAIN_DEBOUNCE_MS = 100;

export class RestaurantObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly timers: Timers;
  private readonly journal: Journal;
  private readonly credentials: Credentials;
  private readonly cfg: Config;
  private readonly reports = new PendingReports();
  private readonly exports: ExportRequests;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(ctx.storage, RESTAURANT_MIGRATIONS);
    // Pings on the agent link are answered by the runtime without waking us;
    // the alarm reads their time when it checks for silence.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    this.timers = new Timers(ctx.storage);
    this.journal = new Journal(this.sql);
    this.credentials = new Credentials(this.sql, env.AGENT_KEY_SECRET);
    this.cfg = config(env);
    this.exports = new ExportRequests(this.sql);
    // An object woken by its alarm (after a restart or an eviction) has no
    // name, and stays nameless for the requests that follow: remember it.
    const name = ctx.id.name;
    if (name && this.metaGet("restaurant_id") !== name) this.metaSet("restaurant_id", name);
  }

  private get restaurantId(): string {
    const name = this.ctx.id.name ?? this.metaGet("restaurant_id");
    if (!name) throw new Error("RestaurantObject must be addressed by name (getByName(restaurantId))");
    return name;
  }

  private get thresholdMs(): number {
    return this.cfg.connectionLossSeconds * 1000;
  }

  // ------------------------------------------------------------------ admin

  /** Creates or rotates an agent's key; returns it (the only time it exists outside the agent). */
  async issueAgentKey(agentId: string): Promise<string> {
    const key = await this.credentials.issue(agentId);
    // A rotated key must not keep an old link open.
    for (const ws of this.ctx.getWebSockets(agentId)) ws.close(4001, "key rotated");
    return key;
  }

  async revokeAgent(agentId: string): Promise<boolean> {
    const revoked = this.credentials.revoke(agentId, Date.now());
    for (const ws of this.ctx.getWebSockets(agentId)) ws.close(4003, "agent revoked");
    return revoked;
  }

  async status(): Promise<RestaurantStatus> {
    const rows = this.agentRows();
    const linked = new Set(this.ctx.getWebSockets().map((ws) => this.socketAgent(ws)));
    const agents: AgentStatus[] = rows.map((r) => {
      const hb = r.heartbeat ? (JSON.parse(r.heartbeat) as AgentStatus["heartbeat"]) : null;
      return {
        agentId: r.agent_id,
        connection: toConnection(r),
        ackSeq: r.ack_seq,
        pos: { online: r.pos_online === null ? null : r.pos_online === 1, since: r.pos_since },
        heartbeat: hb,
        linked: linked.has(r.agent_id),
        revoked: r.salt === null,
      };
    });
    const live = agents.filter((a) => !a.revoked);
    return {
      restaurantId: this.restaurantId,
      connection: summarize(live.map((a) => a.connection)),
      pos: posSummary(live),
      agents,
      lastEventAt: this.metaNumber("last_event_at"),
      outbox: this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n,
    };
  }

  /** Newest first: the restaurant's journal for the admin page (filter by type and time). */
  async listJournal(filter: { type?: string; from?: number; to?: number; limit?: number; before?: number }): Promise<JournalRow[]> {
    return this.journal.list({ ...filter, limit: Math.min(500, Math.max(1, filter.limit ?? 100)) });
  }

  /**
   * Journals an event the cloud made elsewhere (license notices from the
   * cron, order announcements). Idempotent on the event id.
   */
  async journalCloudEvent(event: TillEvent): Promise<boolean> {
    const now = Date.now();
    const id = this.ctx.storage.transactionSync(() => {
      const id = this.journal.append(CLOUD_SOURCE, event, now);
      if (id !== null) this.timers.setEarliest("drain", now);
      return id;
    });
    await this.timers.arm(now);
    return id !== null;
  }

  // ------------------------------------------------------------------ agent protocol

  async ingest(req: SignedRequest, now = Date.now()): Promise<AgentAnswer<EventBatchResult>> {
    const body = new Uint8Array(req.body);
    const auth = await this.authenticate(req, body);
    if (auth) return auth;

    const decoded = parseJsonBytes(body);
    if (!decoded.ok) return fail(400, "invalid_body", "body is not UTF-8 JSON");
    const json = decoded.value;
    const events = (json as { events?: unknown } | null)?.events;
    if (Array.isArray(events) && events.length > BATCH_MAX_EVENTS) {
      return fail(413, "too_large", `a batch holds at most ${BATCH_MAX_EVENTS} events, got ${events.length}`);
    }
    const parsed = EventBatch.safeParse(json);
    if (!parsed.success) return fail(400, "invalid_body", "the batch is invalid; nothing was stored", zodIssues(parsed.error));

    const { agentId } = req;
    const result = this.ctx.storage.transactionSync(() => {
      let accepted = 0;
      let duplicates = 0;
      let lastOccurred = 0;
      for (const event of parsed.data.events) {
        const id = this.journal.append(agentId, event as TillEvent, now);
        if (id === null) {
          duplicates++;
          continue;
        }
        accepted++;
        lastOccurred = Math.max(lastOccurred, Date.parse(event.occurredAt));
        if (event.type === "pos.started" || event.type === "pos.stopped") {
          this.notePosFromEvent(agentId, event.type === "pos.started", Date.parse(event.occurredAt));
        }
      }
      const ackSeq = this.journal.advanceAck(agentId, parsed.data.floorSeq);
      this.markSeen(agentId, now);
      if (accepted > 0) {
        this.timers.setEarliest("drain", now + DRAIN_DEBOUNCE_MS);
        this.noteEvent(now);
        if (this.timers.get("retention") === null) this.timers.set("retention", now + DAY_MS);
      }
      return { accepted, duplicates, ackSeq };
    });
    await this.timers.arm(now);
    return { status: 200, body: result };
  }

  async heartbeat(req: SignedRequest, now = Date.now()): Promise<AgentAnswer<HeartbeatResult>> {
    const body = new Uint8Array(req.body);
    const auth = await this.authenticate(req, body);
    if (auth) return auth;
    const decoded = parseJsonBytes(body);
    if (!decoded.ok) return fail(400, "invalid_body", "body is not UTF-8 JSON");
    const parsed = Heartbeat.safeParse(decoded.value);
    if (!parsed.success) return fail(400, "invalid_body", "the heartbeat is invalid", zodIssues(parsed.error));
    const hb = parsed.data;
    const { agentId } = req;

    this.ctx.storage.transactionSync(() => {
      this.markSeen(agentId, now);
      const prev = this.agentRow(agentId);
      const prevHb = prev?.heartbeat ? (JSON.parse(prev.heartbeat) as { agentVersion?: string }) : null;
      this.sql.exec(
        "UPDATE agents SET heartbeat = ?, heartbeat_at = ? WHERE agent_id = ?",
        JSON.stringify({ at: now, agentVersion: hb.agentVersion, pos: { kind: hb.pos.kind, version: hb.pos.version }, stations: hb.stations, spool: hb.spool }),
        now,
        agentId,
      );
      this.notePosFromHeartbeat(agentId, hb.pos.online, now, hb.pos.detail);
      if (prevHb?.agentVersion !== hb.agentVersion) this.touchLive(now, 0);
    });
    await this.timers.arm(now);
    const info = await this.restaurantInfo();
    return {
      status: 200,
      body: {
        serverTime: new Date(now).toISOString(),
        config: {
          heartbeatSeconds: this.cfg.heartbeatSeconds,
          connectionLossSeconds: this.cfg.connectionLossSeconds,
          maxBatchEvents: BATCH_MAX_EVENTS,
          maxBatchBytes: 1024 * 1024,
          timezone: info?.timezone ?? "UTC",
          currency: info?.currency ?? "RUB",
        },
      },
    };
  }

  /** The agent link: a WebSocket upgrade, already checked for headers and timestamp by the Worker. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return Response.json(fail(400, "upgrade_required", "expected a WebSocket upgrade").body, { status: 426 });
    }
    const agentId = request.headers.get("X-Agent-Id") ?? "";
    const timestamp = request.headers.get("X-Agent-Timestamp") ?? "";
    const signature = request.headers.get("X-Agent-Signature-Hex") ?? "";
    const auth = await this.authenticate({ agentId, timestamp, signature, body: new ArrayBuffer(0) }, new Uint8Array(0));
    if (auth) return Response.json(auth.body, { status: auth.status });

    // One link per agent: a reconnecting agent replaces its stale socket.
    for (const old of this.ctx.getWebSockets(agentId)) old.close(4000, "replaced by a newer link");
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, [agentId]);
    const now = Date.now();
    server.serializeAttachment({ agentId, connectedAt: now });
    this.ctx.storage.transactionSync(() => this.markSeen(agentId, now));
    await this.timers.arm(now);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const agentId = this.socketAgent(ws);
    if (!agentId || !this.credentials.exists(agentId)) {
      ws.close(4003, "agent revoked");
      return;
    }
    const now = Date.now();
    this.ctx.storage.transactionSync(() => this.markSeen(agentId, now));
    await this.timers.arm(now);
    if (typeof message !== "string") return;
    let frame: AgentFrame;
    try {
      const parsed = AgentFrame.safeParse(JSON.parse(message));
      if (!parsed.success) {
        ws.send(JSON.stringify({ type: "error", message: "unknown or invalid frame", issues: zodIssues(parsed.error) }));
        return;
      }
      frame = parsed.data;
    } catch {
      ws.send(JSON.stringify({ type: "error", message: "frame is not JSON" }));
      return;
    }
    if (frame.type === "ping") {
      ws.send(PONG_FRAME);
      return;
    }
    await this.onAgentFrame(frame);
  }

  override async webSocketClose(ws: WebSocket, code: number, _reason: string, _wasClean: boolean): Promise<void> {
    // A closed link is not an outage: only silence beyond the threshold is.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      /* already closed */
    }
    // Whoever waits for a report would otherwise wait out the whole timeout.
    if (!this.liveSocket()) this.reports.failAll(Date.now());
  }

  /** Frames other than ping from an agent: report answers and export results. */
  private async onAgentFrame(frame: AgentFrame): Promise<void> {
    switch (frame.type) {
      case "report.result":
      case "report.error":
        this.reports.answer(frame);
        return;
      case "order.export.result":
        await this.onExportResult(frame);
        return;
      case "pong":
        return;
    }
  }

  // ------------------------------------------------------------------ requests over the agent link

  /**
   * Asks the restaurant's agent for a report and waits for it. No open link →
   * "offline" at once, with when the agent was last seen; no answer within
   * REPORT_TIMEOUT_MS → "timeout". Identical requests in flight share one
   * agent round trip.
   */
  async requestReport(query: ReportQuery): Promise<ReportAnswer> {
    const ws = this.liveSocket();
    if (!ws) {
      const seen = this.agentRows()
        .filter((r) => r.salt !== null)
        .map((r) => r.last_seen_at ?? 0);
      const lastSeenAt = Math.max(0, ...seen) || null;
      return { ok: false, reason: "offline", lastSeenAt };
    }
    return this.reports.ask(query, (frame) => this.sendFrame(ws, frame), this.cfg.reportTimeoutMs, () => crypto.randomUUID());
  }

  /**
   * Sends an order to the POS through the agent. Fire and forget: the agent's
   * `order.export.result` is handed to the order object (`exportResult`), and
   * the order re-asks on its own schedule when nothing comes back.
   */
  async exportOrder(orderId: string, requestId: string, order: OrderExport, now = Date.now()): Promise<{ sent: boolean }> {
    const ws = this.liveSocket();
    if (!ws) return { sent: false };
    this.exports.remember(requestId, orderId, now);
    try {
      this.sendFrame(ws, { type: "order.export", requestId, order });
      return { sent: true };
    } catch {
      this.exports.forget(requestId);
      return { sent: false };
    }
  }

  /** The most recently connected link of an agent that is still allowed in. */
  private liveSocket(): WebSocket | null {
    let best: { ws: WebSocket; at: number } | null = null;
    for (const ws of this.ctx.getWebSockets()) {
      const a = ws.deserializeAttachment() as { agentId?: string; connectedAt?: number } | null;
      if (!a?.agentId || !this.credentials.exists(a.agentId)) continue;
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (!best || (a.connectedAt ?? 0) > best.at) best = { ws, at: a.connectedAt ?? 0 };
    }
    return best?.ws ?? null;
  }

  private sendFrame(ws: WebSocket, frame: CloudFrame): void {
    ws.send(JSON.stringify(frame));
  }

  private async onExportResult(frame: OrderExportResultFrame): Promise<void> {
    const orderId = this.exports.orderOf(frame.requestId);
    if (!orderId) return; // unknown or long forgotten; the order has re-asked since
    // The order object decides what the answer means; a final one ends our bookkeeping.
    await this.env.ORDER.getByName(orderId).exportResult(frame);
    if (frame.status !== "pending") this.exports.forget(frame.requestId);
  }

  // ------------------------------------------------------------------ alarm

  override async alarm(): Promise<void> {
    await this.tick(Date.now());
  }

  /** Everything the alarm does, at a given moment (tests pass `now`; the alarm passes the clock). */
  async tick(now: number): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      this.foldPingTimes();
      this.checkConnections(now);
    });
    const due = new Set(this.timers.due(now));
    if (due.has("drain")) {
      this.timers.clear("drain");
      await this.drain(now);
    }
    if (due.has("retention")) {
      this.journal.purge(now - this.cfg.journalRetentionDays * DAY_MS);
      this.exports.purge(now - EXPORT_REQUEST_TTL_MS);
      this.timers.set("retention", now + DAY_MS);
    }
    await this.timers.arm(Math.max(now, Date.now()));
  }

  private async drain(now: number): Promise<void> {
    const db = database(this.env.DB);
    for (let round = 0; round < 20; round++) {
      const r = await drainRoutes({
        sql: this.sql,
        storage: this.ctx.storage,
        db,
        records: recordsDb(this.env, this.restaurantId),
        journal: this.journal,
        restaurantId: this.restaurantId,
        trialDays: this.cfg.trialDays,
        now,
        enqueue: (target, messages) => this.enqueue(target, messages),
      });
      if (r.failed || r.handled === 0) break;
    }
    await this.projectLive(now);
    const next = this.sql.exec<{ t: number | null }>("SELECT MIN(next_at) AS t FROM outbox").one().t;
    if (next !== null) this.timers.setEarliest("drain", next);
  }

  private async enqueue(target: ChatTarget, messages: OutgoingMessage[]): Promise<void> {
    await this.env.CHAT.getByName(target.chatId).enqueue(target, messages);
  }

  /** Copies the live state to the restaurant's D1 row for lists; guarded by a version that only moves forward. */
  private async projectLive(now: number): Promise<void> {
    const live = this.sql
      .exec<{ ref: number; next_at: number; attempts: number }>("SELECT ref, next_at, attempts FROM outbox WHERE key = 'live'")
      .toArray()[0];
    if (!live || live.next_at > now) return;
    const status = await this.status();
    const db = database(this.env.DB);
    try {
      const agentUpdates = status.agents.map((a) =>
        db
          .update(agentsTable)
          .set({
            lastSeenAt: a.connection.lastSeenAt,
            agentVersion: a.heartbeat?.agentVersion ?? null,
            posKind: a.heartbeat?.pos.kind ?? null,
            posVersion: a.heartbeat?.pos.version ?? null,
          })
          .where(eq(agentsTable.id, a.agentId)),
      );
      await db.batch([
        db
          .update(restaurants)
          .set({
            connectionState: status.connection.state,
            connectionSince: status.connection.since,
            posOnline: status.pos.online,
            posSince: status.pos.since,
            lastSeenAt: Math.max(0, ...status.agents.map((a) => a.connection.lastSeenAt ?? 0)) || null,
            lastEventAt: status.lastEventAt,
            liveVersion: live.ref,
          })
          .where(and(eq(restaurants.id, this.restaurantId), lt(restaurants.liveVersion, live.ref))),
        ...agentUpdates,
      ]);
      this.sql.exec("DELETE FROM outbox WHERE key = 'live' AND ref <= ?", live.ref);
      this.metaSet("live_projected_seen", String(now));
    } catch (err) {
      this.sql.exec(
        "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE key = 'live'",
        now + Math.min(300_000, 2_000 * 2 ** live.attempts),
        String(err).slice(0, 500),
      );
    }
  }

  // ------------------------------------------------------------------ internals

  private async authenticate(req: SignedRequest, body: Uint8Array): Promise<AgentAnswer<never> | null> {
    if (!this.env.AGENT_KEY_SECRET) return fail(503, "not_configured", "AGENT_KEY_SECRET is not set on the Worker");
    const v = await this.credentials.verify(req.agentId, req.timestamp, req.signature, body);
    return v.ok ? null : fail(401, v.code, v.message);
  }

  /** A sign of life from an agent (inside a transaction). */
  private markSeen(agentId: string, at: number): void {
    const row = this.agentRow(agentId);
    if (!row) return;
    const { next, change } = seen(toConnection(row), at);
    this.saveConnection(agentId, next);
    if (change) {
      this.journalCloud(connectionEvent(change, { id: agentId }, this.cfg.connectionLossSeconds), at);
      this.touchLive(at, 0);
    } else if (row.status === "never") {
      this.touchLive(at, 0);
    } else if (at - (this.metaNumber("live_projected_seen") ?? 0) > LIVE_SEEN_EVERY_MS) {
      this.touchLive(at, 0);
    }
    this.armConnectionTimer();
  }

  /** Pings answered by the runtime left a timestamp on the socket; they count as signs of life. */
  private foldPingTimes(): void {
    for (const ws of this.ctx.getWebSockets()) {
      const at = this.ctx.getWebSocketAutoResponseTimestamp(ws);
      const agentId = this.socketAgent(ws);
      if (at && agentId) this.markSeen(agentId, at.getTime());
    }
  }

  private checkConnections(now: number): void {
    for (const row of this.agentRows()) {
      if (row.salt === null) continue;
      const { next, change } = check(toConnection(row), now, this.thresholdMs);
      if (!change) continue;
      this.saveConnection(row.agent_id, next);
      this.journalCloud(connectionEvent(change, { id: row.agent_id }, this.cfg.connectionLossSeconds), now);
      this.touchLive(now, 0);
    }
    this.armConnectionTimer();
  }

  private armConnectionTimer(): void {
    let next: number | null = null;
    for (const row of this.agentRows()) {
      if (row.salt === null) continue;
      const t = nextCheckAt(toConnection(row), this.thresholdMs);
      if (t !== null && (next === null || t < next)) next = t;
    }
    if (next === null) this.timers.clear("connection");
    else this.timers.set("connection", next);
  }

  /** An agent-sent pos.started/stopped updates what we believe, so a heartbeat does not announce it again. */
  private notePosFromEvent(agentId: string, online: boolean, at: number): void {
    const row = this.agentRow(agentId);
    if (!row || (row.pos_since !== null && at < row.pos_since)) return; // an old event replayed after an outage
    this.sql.exec("UPDATE agents SET pos_online = ?, pos_since = ? WHERE agent_id = ?", online ? 1 : 0, at, agentId);
    this.touchLive(at, 0);
  }

  /** A heartbeat's `pos.online`: a change (or a first report of the POS being down) is journaled. */
  private notePosFromHeartbeat(agentId: string, online: boolean, now: number, detail?: string): void {
    const row = this.agentRow(agentId);
    if (!row) return;
    const known = row.pos_online === null ? null : row.pos_online === 1;
    if (known === online) return;
    const n = row.pos_changes + 1;
    this.sql.exec(
      "UPDATE agents SET pos_online = ?, pos_since = ?, pos_changes = ? WHERE agent_id = ?",
      online ? 1 : 0,
      now,
      n,
      agentId,
    );
    if (known !== null || !online) this.journalCloud(posStateEvent(online, { id: agentId }, n, now, detail), now);
    this.touchLive(now, 0);
  }

  private journalCloud(event: TillEvent, now: number): void {
    if (this.journal.append(CLOUD_SOURCE, event, now) !== null) this.timers.setEarliest("drain", now);
  }

  private noteEvent(now: number): void {
    const last = this.metaNumber("last_event_at");
    this.metaSet("last_event_at", String(now));
    if (last === null || now - last > LIVE_EVENT_EVERY_MS) this.touchLive(now, 5_000);
  }

  /** Schedules a copy of the live state to D1 (coalesced: one pending row at most). */
  private touchLive(now: number, delayMs: number): void {
    const version = (this.metaNumber("live_version") ?? 0) + 1;
    this.metaSet("live_version", String(version));
    const at = now + delayMs;
    this.sql.exec(
      `INSERT INTO outbox (key, kind, ref, next_at) VALUES ('live', 'live', ?, ?)
       ON CONFLICT(key) DO UPDATE SET ref = excluded.ref, next_at = MIN(next_at, excluded.next_at)`,
      version,
      at,
    );
    this.timers.setEarliest("drain", at);
  }

  private async restaurantInfo(): Promise<{ timezone: string; currency: string } | null> {
    const cached = this.metaGet("info");
    if (cached) {
      const info = JSON.parse(cached) as { timezone: string; currency: string; at: number };
      if (Date.now() - info.at < 10 * 60_000) return info;
    }
    const [row] = await database(this.env.DB)
      .select({ timezone: restaurants.timezone, currency: restaurants.currency })
      .from(restaurants)
      .where(eq(restaurants.id, this.restaurantId));
    if (!row) return null;
    this.metaSet("info", JSON.stringify({ ...row, at: Date.now() }));
    return row;
  }

  private agentRows(): AgentRow[] {
    return this.sql.exec<AgentRow>("SELECT * FROM agents ORDER BY agent_id").toArray();
  }

  private agentRow(agentId: string): AgentRow | null {
    return this.sql.exec<AgentRow>("SELECT * FROM agents WHERE agent_id = ?", agentId).toArray()[0] ?? null;
  }

  private saveConnection(agentId: string, c: AgentConnection): void {
    this.sql.exec(
      "UPDATE agents SET status = ?, since = ?, last_seen_at = ?, outages = ? WHERE agent_id = ?",
      c.status,
      c.since,
      c.lastSeenAt,
      c.outages,
      agentId,
    );
  }

  private socketAgent(ws: WebSocket): string | null {
    const a = ws.deserializeAttachment() as { agentId?: string } | null;
    return a?.agentId ?? null;
  }

  private metaGet(key: string): string | null {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? null;
  }

  private metaNumber(key: string): number | null {
    const v = this.metaGet(key);
    return v === null ? null : Number(v);
  }

  private metaSet(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }
}

function toConnection(r: AgentRow): AgentConnection {
  return { status: r.status, since: r.since, lastSeenAt: r.last_seen_at, outages: r.outages };
}

function posSummary(agents: AgentStatus[]): { online: boolean | null; since: number | null } {
  const known = agents.filter((a) => a.pos.online !== null);
  if (known.length === 0) return { online: null, since: null };
  const down = known.filter((a) => a.pos.online === false);
  if (down.length > 0) return { online: false, since: Math.min(...down.map((a) => a.pos.since ?? Infinity)) };
  return { online: true, since: Math.max(...known.map((a) => a.pos.since ?? 0)) };
}
