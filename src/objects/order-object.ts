/**
 * One per order (`ORDER.getByName(orderId)`): the source of truth for the
 * order's card and its problems, payments and POS-export state machines.
 *
 * A thin shell: decisions are pure functions in src/domain/orders; this
 * object loads the state, applies one, and commits the new state together
 * with its history rows, its outbox rows (D1 projection, announcements to
 * the restaurant's chats) and its timer rows in one storage transaction.
 * Requests to one order are serialised by the object. Several timers
 * (payment expiry, POS-export polling, outbox drain) share the one alarm;
 * every handler is idempotent, since an alarm may fire twice.
 */
import { DurableObject } from "cloudflare:workers";
import { database } from "../db/client";
import { announcementEvent } from "../domain/orders/announce";
import {
  addPayment,
  addProblem,
  cancelOrder,
  cardOf,
  createOrder,
  expirePayments,
  exportAsked,
  exportClaim,
  exportDue,
  exportGiveUp,
  exportPayload,
  exportResult,
  providerReport,
  requestExport,
  timersOf,
  transitionProblem,
  updateOrder,
  type Change,
  type OrderSettings,
  type Outcome,
} from "../domain/orders/order";
import { POS_EXPORT_MAX_ASKS } from "../domain/orders/pos-export";
import type { Actor, Culprit, DomainError, HistoryEntry, Json, OrderCard, OrderState, PaymentMethod, ProblemAction } from "../domain/orders/types";
import { config, type Env } from "../env";
import type { TillEvent } from "../protocol/events";
import type { OrderExportResultFrame } from "../protocol/link";
import type { OrderInput, PaymentWebhook } from "../protocol/orders";
import { migrate } from "./lib/schema";
import { Timers } from "./lib/timers";
import { project } from "./order/projection";
import { ORDER_MIGRATIONS } from "./order/schema";

export type OrderResult = { ok: true; card: OrderCard; created?: boolean } | { ok: false; error: DomainError };

const NOT_FOUND: OrderResult = { ok: false, error: { status: 404, code: "not_found", message: "order not found" } };
const MAX_BACKOFF_MS = 5 * 60_000;
/** A burst of changes reaches D1 in one projection instead of one per change; the panel is still seconds behind at most. */
const PROJECT_DEBOUNCE_MS = 200;
const DRAINABLE = "(next_at <= ? OR attempts = 0)";

export class OrderObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly timers: Timers;
  private readonly settings: OrderSettings;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(ctx.storage, ORDER_MIGRATIONS);
    this.timers = new Timers(ctx.storage);
    const cfg = config(env);
    this.settings = {
      paymentExpiryMs: cfg.paymentExpirySeconds * 1000,
      exportPollMs: cfg.posExportPollSeconds * 1000,
      exportMaxAsks: POS_EXPORT_MAX_ASKS,
    };
  }

  // ------------------------------------------------------------------ reading

  async card(): Promise<OrderCard | null> {
    const s = this.load();
    return s ? cardOf(s, this.history()) : null;
  }

  /** Whose order this is (cheap: for authorisation before a command). */
  async owner(): Promise<{ accountId: string; restaurantId: string } | null> {
    const s = this.load();
    return s ? { accountId: s.accountId, restaurantId: s.data.restaurantId } : null;
  }

  // ------------------------------------------------------------------ commands

  /** Create or update from the ordering channel (idempotent: the same order again changes nothing). */
  async upsert(accountId: string, orderId: string, input: OrderInput, actor: Actor, now = Date.now()): Promise<OrderResult> {
    const s = this.load();
    if (!s) {
      const change = createOrder(orderId, accountId, input, actor, now, this.settings);
      await this.commit(change, now);
      return { ok: true, card: this.cardNow(), created: true };
    }
    if (s.accountId !== accountId) return NOT_FOUND;
    return this.apply(updateOrder(s, input, actor, now, this.settings), now);
  }

  async cancel(reason: string, actor: Actor, now = Date.now()): Promise<OrderResult> {
    return this.run((s) => cancelOrder(s, reason, actor, now), now);
  }

  async createProblem(culprit: Culprit, description: string, actor: Actor, now = Date.now()): Promise<OrderResult> {
    return this.run((s) => addProblem(s, culprit, description, actor, now), now);
  }

  async transitionProblem(problemId: string, action: ProblemAction, actor: Actor, resolution?: string, now = Date.now()): Promise<OrderResult> {
    return this.run((s) => transitionProblem(s, problemId, action, actor, now, resolution), now);
  }

  async addPayment(method: PaymentMethod, amount: number, providerRef: string | null, actor: Actor, now = Date.now()): Promise<OrderResult> {
    return this.run((s) => addPayment(s, { method, amount, providerRef }, actor, now, this.settings), now);
  }

  async paymentReport(report: PaymentWebhook, actor: Actor, now = Date.now()): Promise<OrderResult> {
    return this.run((s) => providerReport(s, report, actor, now), now);
  }

  /** Starts (or restarts) the export to the POS; the first ask goes out at once. */
  async requestExport(actor: Actor, now = Date.now()): Promise<OrderResult> {
    const result = await this.run((s) => requestExport(s, crypto.randomUUID(), actor, now), now);
    if (result.ok) await this.askAgent(now);
    return result.ok ? { ok: true, card: this.cardNow() } : result;
  }

  /** The agent's `order.export.result`, handed on by the restaurant object. */
  async exportResult(frame: OrderExportResultFrame, now = Date.now()): Promise<{ applied: boolean }> {
    const s = this.load();
    if (!s) return { applied: false };
    const change = exportResult(s, frame, now);
    if (change) await this.commit(change, now);
    return { applied: change !== null };
  }

  // ------------------------------------------------------------------ alarm

  override async alarm(): Promise<void> {
    await this.tick(Date.now());
  }

  /** Everything the alarm does at `now` (tests pass it; the alarm passes the clock). */
  async tick(now: number): Promise<void> {
    const s = this.load();
    if (s) {
      const expired = expirePayments(s, now, this.settings);
      if (expired) await this.commit(expired, now);
      await this.askAgent(now);
    }
    // Fresh outbox rows go out whenever the alarm runs (the debounce only decides when it is armed);
    // rows that failed wait for their back-off.
    if (this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE ${DRAINABLE}`, now).one().n > 0) await this.drain(now);
    // Timer rows always follow the state, so a row left behind can never keep the alarm firing.
    const latest = this.load();
    if (latest) this.ctx.storage.transactionSync(() => this.syncTimers(latest));
    await this.timers.arm(Math.max(now, Date.now()));
  }

  private syncTimers(state: OrderState): void {
    const t = timersOf(state);
    if (t.export === null) this.timers.clear("export");
    else this.timers.set("export", t.export);
    if (t.payments === null) this.timers.clear("payments");
    else this.timers.set("payments", t.payments);
  }

  /** Re-asks the agent when the export is due, or gives up after the limit. */
  private async askAgent(now: number): Promise<void> {
    const s = this.load();
    if (!s) return;
    const what = exportDue(s.posExport, now, this.settings.exportMaxAsks);
    if (what === "give_up") {
      const change = exportGiveUp(s, now);
      if (change) await this.commit(change, now);
      return;
    }
    if (what !== "ask" || s.data.status === "cancelled") return;
    const requestId = s.posExport.requestId!;
    const claim = exportClaim(s, now, this.settings);
    if (claim) await this.commit(claim, now);
    let sent = false;
    try {
      const r = await this.env.RESTAURANT.getByName(s.data.restaurantId).exportOrder(s.id, requestId, exportPayload(s), now);
      sent = r.sent;
    } catch (err) {
      console.error(`order ${s.id}: export ask failed:`, String(err));
    }
    // The state may have moved while we awaited (an answer, a retry): the domain checks the request id.
    const after = this.load();
    const change = after && exportAsked(after, requestId, sent, now, this.settings);
    if (change) await this.commit(change, now);
  }

  // ------------------------------------------------------------------ drain (outbox → D1, chats)

  private async drain(now: number): Promise<void> {
    this.timers.clear("drain");
    const rows = this.sql
      .exec<{ key: string; kind: string; payload: string | null; attempts: number; ref: number | null }>(
        `SELECT key, kind, payload, attempts, ref FROM outbox WHERE ${DRAINABLE} ORDER BY kind DESC, key`,
        now,
      )
      .toArray();
    for (const row of rows) {
      try {
        if (row.kind === "project") await this.projectNow();
        else await this.announce(row.payload!);
        // A project row re-written while we worked (newer ref) stays for the next round.
        this.sql.exec("DELETE FROM outbox WHERE key = ? AND ref IS ?", row.key, row.ref);
      } catch (err) {
        const wait = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(row.attempts, 10));
        this.sql.exec(
          "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE key = ?",
          now + wait,
          String(err).slice(0, 500),
          row.key,
        );
      }
    }
    const next = this.sql.exec<{ t: number | null }>("SELECT MIN(next_at) AS t FROM outbox").one().t;
    if (next !== null) this.timers.setEarliest("drain", next);
  }

  private async projectNow(): Promise<void> {
    const s = this.load();
    if (!s) return;
    const from = Number(this.metaGet("projected_seq") ?? 0);
    const fresh = this.history(from);
    await project(database(this.env.DB), s, fresh);
    const last = fresh.at(-1)?.seq ?? from;
    this.metaSet("projected_seq", String(Math.max(from, last)));
  }

  private async announce(payload: string): Promise<void> {
    const { restaurantId, event } = JSON.parse(payload) as { restaurantId: string; event: TillEvent };
    await this.env.RESTAURANT.getByName(restaurantId).journalCloudEvent(event);
  }

  // ------------------------------------------------------------------ internals

  private async run(f: (s: OrderState) => Outcome, now: number): Promise<OrderResult> {
    const s = this.load();
    if (!s) return NOT_FOUND;
    return this.apply(f(s), now);
  }

  private async apply(outcome: Outcome, now: number): Promise<OrderResult> {
    if (!outcome.ok) return outcome;
    if (outcome.change) await this.commit(outcome.change, now);
    return { ok: true, card: this.cardNow() };
  }

  /** State, history, outbox and timers in one transaction; then the alarm is armed for the earliest. */
  private async commit(change: Change, now: number): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      let seq = change.state.historySeq;
      for (const h of change.history) {
        seq++;
        this.sql.exec(
          "INSERT INTO history (seq, at, actor, action, changes) VALUES (?, ?, ?, ?, ?)",
          seq,
          h.at,
          h.actor,
          h.action,
          JSON.stringify(h.changes),
        );
      }
      const state: OrderState = { ...change.state, historySeq: seq };
      this.sql.exec(
        "INSERT INTO state (id, version, body) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version, body = excluded.body",
        state.version,
        JSON.stringify(state),
      );
      // One coalesced projection row, tagged with the version it must at least carry.
      this.sql.exec(
        `INSERT INTO outbox (key, kind, ref, next_at) VALUES ('project', 'project', ?, ?)
         ON CONFLICT(key) DO UPDATE SET ref = excluded.ref, next_at = MIN(next_at, excluded.next_at)`,
        state.version,
        now + PROJECT_DEBOUNCE_MS,
      );
      for (const a of change.announce) {
        const event = announcementEvent(state, a, now);
        if (!event) continue;
        this.sql.exec(
          "INSERT INTO outbox (key, kind, payload, next_at) VALUES (?, 'announce', ?, ?) ON CONFLICT(key) DO NOTHING",
          `announce:${event.id}`,
          JSON.stringify({ restaurantId: state.data.restaurantId, event }),
          now,
        );
        this.timers.setEarliest("drain", now);
      }
      this.timers.setEarliest("drain", now + PROJECT_DEBOUNCE_MS);
      this.syncTimers(state);
    });
    await this.timers.arm(Math.max(now, Date.now()));
  }

  private load(): OrderState | null {
    const row = this.sql.exec<{ body: string }>("SELECT body FROM state WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.body) as OrderState) : null;
  }

  private cardNow(): OrderCard {
    return cardOf(this.load()!, this.history());
  }

  private history(afterSeq = 0): HistoryEntry[] {
    return this.sql
      .exec<{ seq: number; at: number; actor: string; action: string; changes: string }>(
        "SELECT seq, at, actor, action, changes FROM history WHERE seq > ? ORDER BY seq",
        afterSeq,
      )
      .toArray()
      .map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, changes: JSON.parse(r.changes) as Record<string, Json> }));
  }

  private metaGet(key: string): string | null {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? null;
  }

  private metaSet(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }
}
