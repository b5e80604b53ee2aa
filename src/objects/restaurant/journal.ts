/**
 * The restaurant's complete event journal in the object's SQLite: dedup on
 * `(source, event_id)`, the agent's `ackSeq`, and an outbox row for every new
 * event so routing happens after the commit, never instead of it.
 */
import type { TillEvent } from "../../protocol/events";

export const CLOUD_SOURCE = "cloud";

export type JournalRow = {
  id: number;
  source: string;
  event_id: string;
  seq: number | null;
  type: string;
  occurred_at: number;
  received_at: number;
  body: string;
};

export class Journal {
  constructor(private readonly sql: SqlStorage) {}

  /** Inserts the event unless `(source, id)` is already journaled; returns the new row id or null. */
  append(source: string, event: TillEvent, receivedAt: number): number | null {
    const rows = this.sql
      .exec<{ id: number }>(
        `INSERT INTO journal (source, event_id, seq, type, occurred_at, received_at, body)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(source, event_id) DO NOTHING
         RETURNING id`,
        source,
        event.id,
        event.seq ?? null,
        event.type,
        Date.parse(event.occurredAt),
        receivedAt,
        JSON.stringify(event),
      )
      .toArray();
    const id = rows[0]?.id ?? null;
    if (id !== null) this.sql.exec("INSERT INTO outbox (key, kind, ref, next_at) VALUES (?, 'route', ?, ?)", `route:${id}`, id, receivedAt);
    return id;
  }

  /**
   * Moves the agent's `ackSeq` over every contiguous seq now stored.
   * `floorSeq` lets the agent declare seqs below it will never come.
   */
  advanceAck(agentId: string, floorSeq?: number): number {
    let ack = this.sql.exec<{ ack_seq: number }>("SELECT ack_seq FROM agents WHERE agent_id = ?", agentId).toArray()[0]?.ack_seq ?? 0;
    if (floorSeq !== undefined && floorSeq - 1 > ack) ack = floorSeq - 1;
    for (;;) {
      const seqs = this.sql
        .exec<{ seq: number }>(
          "SELECT DISTINCT seq FROM journal WHERE source = ? AND seq > ? ORDER BY seq LIMIT 1000",
          agentId,
          ack,
        )
        .toArray();
      let moved = 0;
      for (const { seq } of seqs) {
        if (seq !== ack + 1) break;
        ack = seq;
        moved++;
      }
      if (moved < 1000) break;
    }
    this.sql.exec("UPDATE agents SET ack_seq = ? WHERE agent_id = ?", ack, agentId);
    return ack;
  }

  get(id: number): JournalRow | null {
    return this.sql.exec<JournalRow>("SELECT * FROM journal WHERE id = ?", id).toArray()[0] ?? null;
  }

  /** Newest first, for the admin page's journal view. */
  list(filter: { type?: string; from?: number; to?: number; limit: number; before?: number }): JournalRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.type) {
      where.push("type = ?");
      args.push(filter.type);
    }
    if (filter.from !== undefined) {
      where.push("occurred_at >= ?");
      args.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push("occurred_at < ?");
      args.push(filter.to);
    }
    if (filter.before !== undefined) {
      where.push("id < ?");
      args.push(filter.before);
    }
    const sql = `SELECT * FROM journal ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY id DESC LIMIT ?`;
    return this.sql.exec<JournalRow>(sql, ...args, filter.limit).toArray();
  }

  /** Drops what is older than the retention period (never anything still in the outbox). */
  purge(olderThan: number): number {
    const cur = this.sql.exec(
      "DELETE FROM journal WHERE received_at < ? AND id NOT IN (SELECT ref FROM outbox WHERE kind = 'route')",
      olderThan,
    );
    return cur.rowsWritten;
  }
}
