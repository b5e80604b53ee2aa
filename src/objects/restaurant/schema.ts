import type { Migration } from "../lib/schema";
import { TIMERS_SQL } from "../lib/timers";
import { EXPORT_REQUESTS_SQL } from "./export-requests";

/** The restaurant object's own SQLite. Append new versions; never edit old ones. */
export const RESTAURANT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      ${TIMERS_SQL};
      -- One row per agent (cash server): credential, connection, seq and POS state.
      CREATE TABLE agents (
        agent_id TEXT PRIMARY KEY,
        salt TEXT,
        revoked_at INTEGER,
        status TEXT NOT NULL DEFAULT 'never',
        since INTEGER,
        last_seen_at INTEGER,
        outages INTEGER NOT NULL DEFAULT 0,
        ack_seq INTEGER NOT NULL DEFAULT 0,
        pos_online INTEGER,
        pos_since INTEGER,
        pos_changes INTEGER NOT NULL DEFAULT 0,
        heartbeat TEXT,
        heartbeat_at INTEGER
      );
      -- The complete journal of this restaurant. source = agent id, or 'cloud' for what the cloud made.
      CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        event_id TEXT NOT NULL,
        seq INTEGER,
        type TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (source, event_id)
      );
      CREATE INDEX journal_seq ON journal (source, seq) WHERE seq IS NOT NULL;
      CREATE INDEX journal_received ON journal (received_at);
      CREATE INDEX journal_type_time ON journal (type, occurred_at);
      -- Work to hand to D1 and to chat objects, committed with the change that caused it.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        ref INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        last_error TEXT
      );
    `,
  },
  {
    version: 2,
    // Order exports sent over the agent link, by request id (./export-requests.ts).
    sql: EXPORT_REQUESTS_SQL,
  },
];
