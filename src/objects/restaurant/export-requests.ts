/** Which order asked for a POS export, so the agent's answer finds its way back after a restart. */
export const EXPORT_REQUESTS_SQL = `
  CREATE TABLE export_requests (
    request_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    sent_at INTEGER NOT NULL
  )`;

/** How long an unanswered export request is remembered; the order re-asks long before. */
export const EXPORT_REQUEST_TTL_MS = 24 * 3600_000;

export class ExportRequests {
  constructor(private readonly sql: SqlStorage) {}

  remember(requestId: string, orderId: string, now: number): void {
    this.sql.exec(
      "INSERT INTO export_requests (request_id, order_id, sent_at) VALUES (?, ?, ?) ON CONFLICT(request_id) DO UPDATE SET sent_at = excluded.sent_at",
      requestId,
      orderId,
      now,
    );
  }

  orderOf(requestId: string): string | null {
    return this.sql.exec<{ order_id: string }>("SELECT order_id FROM export_requests WHERE request_id = ?", requestId).toArray()[0]?.order_id ?? null;
  }

  forget(requestId: string): void {
    this.sql.exec("DELETE FROM export_requests WHERE request_id = ?", requestId);
  }

  purge(before: number): void {
    this.sql.exec("DELETE FROM export_requests WHERE sent_at < ?", before);
  }
}
