/**
 * Versioned schema for a Durable Object's own SQLite. `PRAGMA user_version`
 * is not available in DO storage, so applied versions are rows in
 * `_schema_migrations`. Migrations are append-only lists of SQL; each runs in
 * its own transaction with the row that records it.
 */
export type Migration = { version: number; sql: string };

export function migrate(storage: DurableObjectStorage, migrations: readonly Migration[]): void {
  const sql = storage.sql;
  sql.exec(
    "CREATE TABLE IF NOT EXISTS _schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
  );
  const row = sql.exec<{ v: number | null }>("SELECT MAX(version) AS v FROM _schema_migrations").one();
  const current = row.v ?? 0;
  for (const m of migrations) {
    if (m.version <= current) continue;
    storage.transactionSync(() => {
      sql.exec(m.sql);
      sql.exec("INSERT INTO _schema_migrations (version, applied_at) VALUES (?, ?)", m.version, Date.now());
    });
  }
}
