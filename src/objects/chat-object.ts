/**
 * One per Telegram chat (named by the internal chat id, which survives a
 * group's migration to a supergroup): the chat's ordered send queue.
 *
 * Restaurant objects hand over rendered messages (`enqueue`, idempotent on
 * alert × part, also after delivery). The alarm sends them in order, one
 * Telegram call per run, paced under Telegram's limits (src/domain/delivery),
 * digesting a backlog, and commits each send's outcome before the next send.
 * Outcomes reach D1 through the object's outbox (idempotent upserts), so a
 * restart anywhere loses nothing and sends nothing twice — except the one
 * window docs/TELEGRAM.md ("Delivery") describes: an eviction while a send is
 * in flight, after Telegram accepted it and before its outcome is committed.
 */
import { DurableObject } from "cloudflare:workers";
import type { DeliveryOutcome } from "../db/alerts";
import { nextSlot, SEND_LOG_SIZE, type ChatType } from "../domain/delivery/limits";
import { planNext, type QueuedMessage, type Step } from "../domain/delivery/plan";
import { backoffMs, decide, MAX_TRANSIENT_FAILURES, type Decision } from "../domain/delivery/retry";
import type { ChatTarget, OutgoingMessage } from "../domain/outgoing";
import type { Env } from "../env";
import { callBotApi, type BotApiResult } from "../telegram/transport";
import { writeChatChange, writeOutcomes, type ChatChange } from "./chat/directory";
import { CHAT_MIGRATIONS } from "./chat/schema";
import { migrate } from "./lib/schema";
import { Timers } from "./lib/timers";

/** How much of the queue's head is loaded to plan one send (a digest takes at most this many). */
const HEAD = 300;
/** How long a delivered (alert, part) is remembered, so a late re-enqueue is ignored. */
const DELIVERED_MEMORY_MS = 7 * 24 * 3600_000;
const FLUSH_BATCH = 200;

export interface ChatStatus {
  status: "active" | "inactive";
  reason: string | null;
}

type QueueRow = {
  seq: number;
  alert_id: number;
  part: number;
  message: string;
  attempts: number;
  failures: number;
  single: number;
  text_message_id: number | null;
};

export class ChatObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly timers: Timers;
  /**
   * The object's clock. Tests replace it (runInDurableObject) to drive a long
   * burst through Telegram's minute-long limits in virtual time; everything
   * time-dependent below reads it, never Date.now() directly.
   */
  clock: () => number = () => Date.now();
  /** A send is in flight: a second round (alarm and RPC at once) must not send the same head again. */
  private sending = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.timers = new Timers(ctx.storage);
    migrate(ctx.storage, CHAT_MIGRATIONS);
  }

  // ------------------------------------------------------------------ RPC

  /**
   * Queues messages for the chat (in the given order). Idempotent: a message
   * already queued or already delivered is ignored. To an inactive chat
   * nothing is sent: each message's delivery is recorded as skipped.
   */
  async enqueue(target: ChatTarget, messages: OutgoingMessage[]): Promise<number> {
    const now = this.clock();
    const added = this.ctx.storage.transactionSync(() => {
      this.setTarget(target);
      const status = this.status();
      let added = 0;
      for (const m of messages) {
        const part = m.part ?? 0;
        const known = this.sql.exec("SELECT 1 FROM delivered WHERE alert_id = ? AND part = ?", m.alertId, part).toArray().length > 0;
        if (known) continue;
        if (status.status === "inactive") {
          this.markDelivered(m.alertId, part, now);
          this.recordOutcome(m, { status: "skipped", error: `chat_inactive:${status.reason ?? "unknown"}` }, 0, now);
          continue;
        }
        const cur = this.sql.exec(
          "INSERT INTO queue (alert_id, part, message, enqueued_at) VALUES (?, ?, ?, ?) ON CONFLICT(alert_id, part) DO NOTHING",
          m.alertId,
          part,
          JSON.stringify(m),
          now,
        );
        added += cur.rowsWritten;
      }
      this.timers.setEarliest("send", now);
      return added;
    });
    await this.timers.arm(now);
    return added;
  }

  /** The bot is back in the chat (re-added, unblocked, re-linked): sending may resume. D1 is the caller's. */
  async resume(target?: ChatTarget): Promise<void> {
    const now = this.clock();
    this.ctx.storage.transactionSync(() => {
      if (target) this.setTarget(target);
      this.setMeta("status", { status: "active", reason: null } satisfies ChatStatus);
      this.timers.setEarliest("send", now);
    });
    await this.timers.arm(now);
  }

  /** Telegram told the bot (a webhook update) it was removed or blocked: stop, as a 403 would. */
  async deactivate(reason: string): Promise<void> {
    const now = this.clock();
    this.ctx.storage.transactionSync(() => this.goInactive(reason, `chat_inactive:${reason}`, now, false));
    await this.timers.arm(now);
  }

  /** What is waiting, oldest first (tests and the admin page). */
  async pending(): Promise<OutgoingMessage[]> {
    return this.sql
      .exec<{ message: string }>("SELECT message FROM queue ORDER BY seq")
      .toArray()
      .map((r) => JSON.parse(r.message) as OutgoingMessage);
  }

  // ------------------------------------------------------------------ alarm

  override async alarm(): Promise<void> {
    await this.work(this.clock());
  }

  /** One round: at most one Telegram send, then the outboxes to D1, then re-arm. */
  async work(now: number): Promise<void> {
    if ((this.timers.get("send") ?? Infinity) <= now && !this.sending) {
      this.sending = true;
      try {
        await this.sendNext(now);
      } finally {
        this.sending = false;
      }
    }
    if ((this.timers.get("flush") ?? Infinity) <= now) await this.flush(now);
    this.purgeDelivered(now);
    await this.timers.arm(now);
  }

  // ------------------------------------------------------------------ sending

  private async sendNext(now: number): Promise<void> {
    const target = this.target();
    const backlog = this.backlog();
    if (!target || backlog === 0 || this.status().status === "inactive") {
      this.timers.clear("send");
      return;
    }
    const recent = this.recentSends();
    const slot = nextSlot(target.type as ChatType, recent, now);
    if (slot > now) {
      this.timers.set("send", slot);
      return;
    }
    const head = this.head();
    const step = planNext({ head, backlog, type: target.type as ChatType, recent, now, ...(target.lang ? { lang: target.lang } : {}) });
    if (!step) return;

    const wait = await this.takeBotBudget(now);
    if (wait > 0) {
      this.timers.set("send", now + wait);
      return;
    }

    // Committed before the call: the attempt counts and the send occupies its
    // rate-limit slot even if this object dies while the call is in flight.
    const sendId = this.ctx.storage.transactionSync(() => {
      for (const seq of step.seqs) this.sql.exec("UPDATE queue SET attempts = attempts + 1 WHERE seq = ?", seq);
      const id = this.sql.exec<{ id: number }>("INSERT INTO sends (at) VALUES (?) RETURNING rowid AS id", now).one().id;
      this.sql.exec("DELETE FROM sends WHERE rowid NOT IN (SELECT rowid FROM sends ORDER BY at DESC LIMIT ?)", SEND_LOG_SIZE);
      return id;
    });

    const answer = await this.call(target, step);
    const decision = decide(answer);
    // Pacing counts from when Telegram answered, not from when we asked: a
    // request slowed on its way must not let the next one arrive too soon.
    const done = Math.max(now, this.clock());
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("UPDATE sends SET at = ? WHERE rowid = ?", done, sendId);
      this.apply(target, step, decision, done);
    });
  }

  private async call(target: ChatTarget, step: Step): Promise<BotApiResult> {
    const chat_id = target.telegramChatId;
    if (step.kind === "photo") {
      const bytes = Uint8Array.from(atob(step.photo.pngBase64), (c) => c.charCodeAt(0));
      return callBotApi(this.env, "sendPhoto", { chat_id, caption: step.photo.caption, parse_mode: "HTML" }, {
        photo: { bytes, filename: "chart.png", contentType: "image/png" },
      });
    }
    const payload: Record<string, unknown> = { chat_id, text: step.html, parse_mode: "HTML", link_preview_options: { is_disabled: true } };
    if (step.kind === "text" && step.buttons?.length) {
      payload.reply_markup = { inline_keyboard: step.buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) };
    }
    return callBotApi(this.env, "sendMessage", payload);
  }

  /** Applies Telegram's answer to one step, in the same transaction as the next send's schedule. */
  private apply(target: ChatTarget, step: Step, decision: Decision, now: number): void {
    const rows = step.seqs.map((seq) => this.row(seq)).filter((r): r is QueueRow => r !== null);
    switch (decision.kind) {
      case "sent": {
        for (const r of rows) {
          const m = JSON.parse(r.message) as OutgoingMessage;
          if (step.kind === "text" && m.photo) {
            // The text is there; its picture goes next (and the alert counts as sent by its text).
            this.sql.exec("UPDATE queue SET text_message_id = ?, failures = 0 WHERE seq = ?", decision.messageId, r.seq);
            continue;
          }
          const messageId = step.kind === "photo" ? (r.text_message_id ?? decision.messageId) : decision.messageId;
          this.finish(r, m, { status: "sent", messageId }, now);
        }
        break;
      }
      case "wait":
        this.timers.set("send", now + decision.ms);
        return;
      case "retry": {
        for (const r of rows) {
          const failures = r.failures + 1;
          if (failures >= MAX_TRANSIENT_FAILURES) {
            this.finishFailed(r, `gave up after ${failures} attempts: ${decision.reason}`, now);
          } else {
            this.sql.exec("UPDATE queue SET failures = ? WHERE seq = ?", failures, r.seq);
          }
        }
        const failures = Math.min(...rows.map((r) => r.failures + 1));
        if (failures < MAX_TRANSIENT_FAILURES) {
          this.timers.set("send", now + backoffMs(failures));
          return;
        }
        break;
      }
      case "failed": {
        if (step.kind === "digest") {
          // One of its lines may be what Telegram refused: send them one by one.
          for (const r of rows) this.sql.exec("UPDATE queue SET single = 1 WHERE seq = ?", r.seq);
        } else if (step.kind === "photo") {
          // The text arrived; only the picture did not.
          for (const r of rows) {
            const m = JSON.parse(r.message) as OutgoingMessage;
            this.finish(r, m, { status: "sent", messageId: r.text_message_id, error: `photo: ${decision.reason}` }, now);
          }
        } else {
          for (const r of rows) this.finishFailed(r, decision.reason, now);
        }
        break;
      }
      case "chat_gone":
        this.goInactive(decision.reason, decision.description, now, true);
        return;
      case "migrated": {
        const moved: ChatTarget = { ...target, telegramChatId: decision.to, type: "supergroup" };
        const from = this.migratedFrom();
        from.push(target.telegramChatId);
        this.setMeta("migrated_from", from);
        this.setMeta("target", moved);
        this.putChatChange({ kind: "migration", chatId: target.chatId, from: target.telegramChatId, to: decision.to });
        // The same step again, to the new id, as soon as the new chat's limits allow.
        this.timers.set("send", now);
        return;
      }
    }
    this.scheduleNext(now);
  }

  private scheduleNext(now: number): void {
    const target = this.target();
    if (!target || this.backlog() === 0) {
      this.timers.clear("send");
      return;
    }
    this.timers.set("send", nextSlot(target.type as ChatType, this.recentSends(), now));
  }

  /** The bot-wide budget; when its object cannot be reached the chat's own pacing still holds. */
  private async takeBotBudget(now: number): Promise<number> {
    if (!this.env.BOT_BUDGET) return 0;
    try {
      return await this.env.BOT_BUDGET.getByName("bot").take(now);
    } catch (err) {
      console.warn("bot budget unavailable:", err instanceof Error ? err.message : err);
      return 0;
    }
  }

  // ------------------------------------------------------------------ outcomes

  /** A queue row is done: remembered as delivered, removed, its outcome recorded. */
  private finish(r: QueueRow, m: OutgoingMessage, o: { status: "sent" | "failed"; messageId?: number | null; error?: string }, now: number): void {
    this.sql.exec("DELETE FROM queue WHERE seq = ?", r.seq);
    this.markDelivered(r.alert_id, r.part, now);
    this.recordOutcome(m, { status: o.status, messageId: o.messageId ?? null, error: o.error ?? null }, r.attempts, now);
  }

  private finishFailed(r: QueueRow, reason: string, now: number): void {
    this.finish(r, JSON.parse(r.message) as OutgoingMessage, { status: "failed", error: reason.slice(0, 500) }, now);
  }

  /**
   * Merges one message's outcome into its alert's (an alert of several parts
   * is failed if any part failed, and carries its first message id). The
   * alert's outcome is ready for D1 when none of its parts is queued.
   */
  private recordOutcome(
    m: OutgoingMessage,
    o: { status: "sent" | "failed" | "skipped"; messageId?: number | null; error?: string | null },
    attempts: number,
    now: number,
  ): void {
    // No alert row behind it (an on-demand report's further parts): nothing to record in D1.
    if (m.alertId < 0) return;
    const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM queue WHERE alert_id = ?", m.alertId).one().n;
    this.sql.exec(
      `INSERT INTO outcomes (alert_id, restaurant_id, status, message_id, error, attempts, ready, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT(alert_id) DO UPDATE SET
         status = CASE WHEN outcomes.status = 'failed' OR excluded.status = 'failed' THEN 'failed' ELSE excluded.status END,
         message_id = COALESCE(outcomes.message_id, excluded.message_id),
         error = COALESCE(outcomes.error, excluded.error),
         attempts = MAX(outcomes.attempts, excluded.attempts),
         ready = excluded.ready,
         updated_at = excluded.updated_at`,
      m.alertId,
      m.restaurantId,
      o.status,
      o.messageId ?? null,
      o.error ?? null,
      attempts,
      left === 0 ? 1 : 0,
      now,
    );
    if (left === 0) this.timers.setEarliest("flush", now);
  }

  private markDelivered(alertId: number, part: number, now: number): void {
    this.sql.exec("INSERT INTO delivered (alert_id, part, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", alertId, part, now);
  }

  /** The chat cannot be reached: everything queued fails with the reason, and sending stops until `resume`. */
  private goInactive(reason: string, description: string, now: number, fromTelegram: boolean): void {
    const target = this.target();
    this.setMeta("status", { status: "inactive", reason } satisfies ChatStatus);
    const rows = this.sql.exec<QueueRow>("SELECT * FROM queue ORDER BY seq").toArray();
    for (const r of rows) this.finishFailed(r, description, now);
    // A webhook-told deactivation is the bot's to write to D1; a 403 is ours.
    if (fromTelegram && target) this.putChatChange({ kind: "status", chatId: target.chatId, status: "inactive", reason });
    this.timers.clear("send");
    this.timers.setEarliest("flush", now);
  }

  private putChatChange(change: ChatChange): void {
    this.sql.exec(
      "INSERT INTO chat_outbox (kind, body) VALUES (?, ?) ON CONFLICT(kind) DO UPDATE SET body = excluded.body",
      change.kind,
      JSON.stringify(change),
    );
    this.timers.setEarliest("flush", this.clock());
  }

  /** Writes ready outcomes and chat changes to D1; on failure keeps them and retries with backoff. */
  private async flush(now: number): Promise<void> {
    const target = this.target();
    try {
      const changes = this.sql.exec<{ kind: string; body: string }>("SELECT kind, body FROM chat_outbox").toArray();
      for (const c of changes) {
        await writeChatChange(this.env, JSON.parse(c.body) as ChatChange, now);
        this.sql.exec("DELETE FROM chat_outbox WHERE kind = ? AND body = ?", c.kind, c.body);
      }
      for (;;) {
        const rows = this.sql
          .exec<{ alert_id: number; restaurant_id: string; status: DeliveryOutcome["status"]; message_id: number | null; error: string | null; attempts: number; updated_at: number }>(
            "SELECT alert_id, restaurant_id, status, message_id, error, attempts, updated_at FROM outcomes WHERE ready = 1 ORDER BY updated_at LIMIT ?",
            FLUSH_BATCH,
          )
          .toArray();
        if (rows.length === 0 || !target) break;
        const byRestaurant = new Map<string, DeliveryOutcome[]>();
        for (const r of rows) {
          const list = byRestaurant.get(r.restaurant_id) ?? [];
          list.push({ alertId: r.alert_id, status: r.status, telegramMessageId: r.message_id, error: r.error, attempts: r.attempts });
          byRestaurant.set(r.restaurant_id, list);
        }
        await writeOutcomes(this.env, target.chatId, byRestaurant, now);
        this.ctx.storage.transactionSync(() => {
          for (const r of rows) this.sql.exec("DELETE FROM outcomes WHERE alert_id = ? AND updated_at = ? AND ready = 1", r.alert_id, r.updated_at);
        });
        if (rows.length < FLUSH_BATCH) break;
      }
      this.sql.exec("DELETE FROM meta WHERE key = 'flush_failures'");
      this.timers.clear("flush");
    } catch (err) {
      const failures = (this.meta<number>("flush_failures") ?? 0) + 1;
      this.setMeta("flush_failures", failures);
      this.timers.set("flush", now + backoffMs(failures));
      console.error(`chat ${target?.chatId}: writing delivery outcomes to D1 failed:`, err instanceof Error ? err.message : err);
    }
  }

  private purgeDelivered(now: number): void {
    if ((this.meta<number>("purged_at") ?? 0) > now - 3600_000) return;
    this.sql.exec("DELETE FROM delivered WHERE at < ?", now - DELIVERED_MEMORY_MS);
    this.setMeta("purged_at", now);
  }

  // ------------------------------------------------------------------ state

  private setTarget(target: ChatTarget): void {
    const current = this.target();
    // A restaurant's routing may still carry the id a migration left behind
    // (its D1 copy is written after ours): keep following the new one.
    const telegramChatId =
      current && this.migratedFrom().includes(target.telegramChatId) ? current.telegramChatId : target.telegramChatId;
    const type = current && telegramChatId === current.telegramChatId ? current.type : target.type;
    const lang = target.lang ?? current?.lang;
    this.setMeta("target", { ...target, telegramChatId, type, ...(lang ? { lang } : {}) });
  }

  private target(): ChatTarget | null {
    return this.meta<ChatTarget>("target");
  }

  private status(): ChatStatus {
    return this.meta<ChatStatus>("status") ?? { status: "active", reason: null };
  }

  private migratedFrom(): number[] {
    return this.meta<number[]>("migrated_from") ?? [];
  }

  private backlog(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM queue").one().n;
  }

  private recentSends(): number[] {
    return this.sql
      .exec<{ at: number }>("SELECT at FROM sends ORDER BY at DESC LIMIT ?", SEND_LOG_SIZE)
      .toArray()
      .map((r) => r.at)
      .reverse();
  }

  private head(): QueuedMessage[] {
    return this.sql
      .exec<QueueRow>("SELECT * FROM queue ORDER BY seq LIMIT ?", HEAD)
      .toArray()
      .map((r) => ({ seq: r.seq, message: JSON.parse(r.message) as OutgoingMessage, single: r.single === 1, textMessageId: r.text_message_id }));
  }

  private row(seq: number): QueueRow | null {
    return this.sql.exec<QueueRow>("SELECT * FROM queue WHERE seq = ?", seq).toArray()[0] ?? null;
  }

  private meta<T>(key: string): T | null {
    const rows = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray();
    return rows[0] ? (JSON.parse(rows[0].value) as T) : null;
  }

  private setMeta(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }
}
