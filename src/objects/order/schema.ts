import type { Migration } from "../lib/schema";
import { TIMERS_SQL } from "../lib/timers";

/** The order object's own SQLite. Append new versions; never edit old ones. */
export const ORDER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      ${TIMERS_SQL};
      -- The order's state (domain OrderState as JSON): one row.
      CREATE TABLE state (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, body TEXT NOT NULL);
      -- The action history, append-only.
      CREATE TABLE history (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        changes TEXT NOT NULL
      );
      -- Work for D1 ('project', coalesced to one row) and for the restaurant's chats ('announce', one per event),
      -- committed with the change that caused it.
      CREATE TABLE outbox (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT,
        -- For 'project': the state version it was written for (a newer commit during a drain keeps the row).
        ref INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        last_error TEXT
      );
    `,
  },
];
