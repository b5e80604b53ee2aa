/**
 * The chat object's own SQLite. Version 1 is the foundation's queue; version 2
 * adds what delivery needs: per-message progress, a memory of what was already
 * delivered (so a re-enqueue after a restaurant's drain retry never sends
 * twice), the chat's recent send times (pacing survives restarts), and the
 * outboxes of delivery outcomes and chat changes bound for D1.
 */
import type { Migration } from "../lib/schema";
import { TIMERS_SQL } from "../lib/timers";

export const CHAT_MIGRATIONS: readonly Migration[] = [
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
  {
    version: 2,
    sql: `
      ALTER TABLE queue ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE queue ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE queue ADD COLUMN single INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE queue ADD COLUMN text_message_id INTEGER;
      CREATE TABLE delivered (
        alert_id INTEGER NOT NULL,
        part INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (alert_id, part)
      );
      CREATE INDEX delivered_at ON delivered (at);
      CREATE TABLE sends (at INTEGER NOT NULL);
      CREATE TABLE outcomes (
        alert_id INTEGER PRIMARY KEY,
        restaurant_id TEXT NOT NULL,
        status TEXT NOT NULL,
        message_id INTEGER,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        ready INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE chat_outbox (kind TEXT PRIMARY KEY, body TEXT NOT NULL);
    `,
  },
];
