/**
 * Several logical timers share an object's one alarm: each is a row
 * `(name, due_at)`, and the alarm is armed for the earliest. Handlers run from
 * `alarm()`, which may fire twice or late, so they must be idempotent.
 */
export const TIMERS_SQL =
  "CREATE TABLE IF NOT EXISTS timers (name TEXT PRIMARY KEY, due_at INTEGER NOT NULL)";

export class Timers {
  constructor(private readonly storage: DurableObjectStorage) {}

  /** Sets (or moves) a timer. Call `arm()` after the transaction. */
  set(name: string, dueAt: number): void {
    this.storage.sql.exec(
      "INSERT INTO timers (name, due_at) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET due_at = excluded.due_at",
      name,
      Math.floor(dueAt),
    );
  }

  /** Sets a timer only if it is not already due earlier. */
  setEarliest(name: string, dueAt: number): void {
    this.storage.sql.exec(
      "INSERT INTO timers (name, due_at) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET due_at = MIN(due_at, excluded.due_at)",
      name,
      Math.floor(dueAt),
    );
  }

  clear(name: string): void {
    this.storage.sql.exec("DELETE FROM timers WHERE name = ?", name);
  }

  due(now: number): string[] {
    return this.storage.sql
      .exec<{ name: string }>("SELECT name FROM timers WHERE due_at <= ? ORDER BY due_at, name", now)
      .toArray()
      .map((r) => r.name);
  }

  get(name: string): number | null {
    const rows = this.storage.sql.exec<{ due_at: number }>("SELECT due_at FROM timers WHERE name = ?", name).toArray();
    return rows[0]?.due_at ?? null;
  }

  next(): number | null {
    return this.storage.sql.exec<{ t: number | null }>("SELECT MIN(due_at) AS t FROM timers").one().t;
  }

  /**
   * Arms the alarm for the earliest timer, or deletes it when none is left.
   * Never arms in the past: `now + 1` is the floor (an alarm set for "now"
   * from inside `alarm()` can be dropped).
   */
  async arm(now = Date.now()): Promise<void> {
    const next = this.next();
    if (next === null) {
      await this.storage.deleteAlarm();
      return;
    }
    const at = Math.max(next, now + 1);
    const current = await this.storage.getAlarm();
    if (current === null || current !== at) await this.storage.setAlarm(at);
  }
}
