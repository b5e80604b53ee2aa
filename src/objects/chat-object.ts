/**
 * One per Telegram chat (named by the internal chat id, which survives a
 * group's migration to a supergroup): the chat's ordered send queue.
 *
 * FOUNDATION SHELL: stores what the restaurant objects hand over, idempotent
 * on (alert, part). Sending, pacing, digests and delivery outcomes are built
 * by the Telegram issue on top of this queue.
 */
import { DurableObject } from "cloudflare:workers";
import type { ChatTarget, OutgoingMessage } from "../domain/outgoing";
import type { Env } from "../env";
import { migrate, type Migration } from "./lib/schema";
import { TIMERS_SQL } from "./lib/timers";

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      ${TIMERS_SQL};
      CREATE TABLE queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL,
        part INTEGER NOT NULL DEFAULT 0,
        message TEXT NOT NULL,
        enqueued_at INTEGER NOT NULL,
        UNIQUE (alert_id, part)
      );
    `,
  },
];

export class ChatObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage, MIGRATIONS);
  }

  async enqueue(target: ChatTarget, messages: OutgoingMessage[]): Promise<number> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    return this.ctx.storage.transactionSync(() => {
      sql.exec(
        "INSERT INTO meta (key, value) VALUES ('target', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        JSON.stringify(target),
      );
      let added = 0;
      for (const m of messages) {
        const cur = sql.exec(
          "INSERT INTO queue (alert_id, part, message, enqueued_at) VALUES (?, ?, ?, ?) ON CONFLICT(alert_id, part) DO NOTHING",
          m.alertId,
          m.part ?? 0,
          JSON.stringify(m),
          now,
        );
        added += cur.rowsWritten;
      }
      return added;
    });
  }

  /** What is waiting, oldest first (tests and the admin page). */
  async pending(): Promise<OutgoingMessage[]> {
    return this.ctx.storage.sql
      .exec<{ message: string }>("SELECT message FROM queue ORDER BY seq")
      .toArray()
      .map((r) => JSON.parse(r.message) as OutgoingMessage);
  }
}
