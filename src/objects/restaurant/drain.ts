/**
 * Hands journaled events to the world, from the restaurant object's alarm:
 * route each event (pure), write the alert index and its deliveries to D1
 * (idempotent), enqueue the rendered messages in each chat's object
 * (idempotent), and only then delete the outbox row. Rows are handled in
 * order and the drain stops at the first failure, so a chat never gets a
 * later alert before an earlier one.
 */
import { insertDeliveries, upsertAlerts, type AlertRow } from "../../db/alerts";
import type { Db } from "../../db/client";
import { loadRoutingContext, type RoutingContext } from "../../db/routing-context";
import { licenseEvent } from "../../domain/cloud-events";
import { summarizeEvent } from "../../domain/format/alert";
import { expiresAt, isValid } from "../../domain/licensing";
import type { ChatTarget, OutgoingMessage } from "../../domain/outgoing";
import { renderEvent } from "../../domain/render-event";
import { route, type Route } from "../../domain/routing";
import type { TillEvent } from "../../protocol/events";
import { CLOUD_SOURCE, type Journal, type JournalRow } from "./journal";

export interface DrainDeps {
  sql: SqlStorage;
  storage: DurableObjectStorage;
  /** The directory database (chats, links, agents). */
  db: Db;
  /** This restaurant's records shard (alerts, deliveries). */
  records: Db;
  journal: Journal;
  restaurantId: string;
  trialDays: number;
  now: number;
  enqueue(target: ChatTarget, messages: OutgoingMessage[]): Promise<void>;
}

type OutboxRow = { id: number; key: string; kind: string; ref: number | null; attempts: number };

const BATCH = 100;

/** Backoff for a failed drain: 2 s, 4 s, … capped at 5 minutes. */
export function retryDelay(attempts: number): number {
  return Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}

export async function drainRoutes(deps: DrainDeps): Promise<{ handled: number; failed: boolean }> {
  const { sql, now } = deps;
  const rows = sql
    .exec<OutboxRow>(
      "SELECT id, key, kind, ref, attempts FROM outbox WHERE kind = 'route' AND next_at <= ? ORDER BY id LIMIT ?",
      now,
      BATCH,
    )
    .toArray();
  if (rows.length === 0) return { handled: 0, failed: false };

  try {
    const ctx = await loadRoutingContext(deps.db, deps.restaurantId);
    if (!ctx) throw new Error(`restaurant ${deps.restaurantId} is not in D1`);

    const work: { row: OutboxRow; journal: JournalRow; event: TillEvent; routes: Route[] }[] = [];
    const done: number[] = [];
    for (const row of rows) {
      const j = row.ref === null ? null : deps.journal.get(row.ref);
      if (!j) {
        done.push(row.id);
        continue;
      }
      const event = JSON.parse(j.body) as TillEvent;
      const licensed = licenseOf(ctx, j.source, event, now, deps.trialDays);
      if (!licensed.valid && licensed.agentId) tellOnceLicenseExpired(deps, ctx, licensed.agentId);
      const routes = route({ event, subscriptions: ctx.subscriptions, licensed: licensed.valid });
      if (routes.length === 0) done.push(row.id);
      else work.push({ row, journal: j, event, routes });
    }

    if (work.length > 0) {
      const alertRows: AlertRow[] = work.map(({ journal, event }) => alertRowOf(deps.restaurantId, ctx, journal, event));
      const alertIds = await upsertAlerts(deps.records, alertRows);
      await insertDeliveries(
        deps.records,
        work.map((w, i) => ({
          alertId: alertIds[i]!,
          rows: w.routes.map((r) =>
            r.status === "pending" ? { chatId: r.chatId, status: "pending" as const } : { chatId: r.chatId, status: "skipped" as const, error: r.reason },
          ),
        })),
      );
      // Per chat, in journal order; each event rendered once per language.
      const perChat = new Map<string, { target: ChatTarget; messages: OutgoingMessage[] }>();
      for (const [i, w] of work.entries()) {
        const rendered = new Map<string, OutgoingMessage[]>();
        for (const r of w.routes) {
          if (r.status !== "pending") continue;
          const s = r.subscription;
          const lang = s.settings.language;
          let messages = rendered.get(lang);
          if (!messages) {
            messages = await renderEvent(w.event, alertIds[i]!, { restaurant: ctx.restaurant, lang });
            rendered.set(lang, messages);
          }
          let entry = perChat.get(s.chatId);
          if (!entry) {
            entry = { target: { chatId: s.chatId, telegramChatId: s.telegramChatId, type: s.chatType, lang }, messages: [] };
            perChat.set(s.chatId, entry);
          }
          entry.messages.push(...messages);
        }
      }
      await Promise.all([...perChat.values()].map((c) => deps.enqueue(c.target, c.messages)));
      for (const w of work) done.push(w.row.id);
    }

    deps.storage.transactionSync(() => {
      for (const id of done) sql.exec("DELETE FROM outbox WHERE id = ?", id);
    });
    return { handled: done.length, failed: false };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.storage.transactionSync(() => {
      for (const r of rows) {
        sql.exec(
          "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?",
          now + retryDelay(r.attempts + 1),
          message.slice(0, 500),
          r.id,
        );
      }
    });
    console.error(`restaurant ${deps.restaurantId}: drain failed (${rows.length} rows): ${message}`);
    return { handled: 0, failed: true };
  }
}

/**
 * Whose license decides: the sending agent's for its events; the agent named
 * in a cloud event's data; otherwise the restaurant is licensed while any of
 * its agents is (or when it has none, e.g. an orders-only restaurant).
 */
function licenseOf(
  ctx: RoutingContext,
  source: string,
  event: TillEvent,
  now: number,
  trialDays: number,
): { valid: boolean; agentId: string | null } {
  const data = event.data as Record<string, unknown>;
  const agentId = source !== CLOUD_SOURCE ? source : typeof data.agentId === "string" ? data.agentId : null;
  if (agentId) {
    const a = ctx.agents.get(agentId);
    if (!a) return { valid: true, agentId: null };
    return { valid: isValid(a.license, now, trialDays), agentId };
  }
  if (ctx.agents.size === 0) return { valid: true, agentId: null };
  return { valid: [...ctx.agents.values()].some((a) => isValid(a.license, now, trialDays)), agentId: null };
}

/** Journals (once per expiry moment) the notice that explains why alerts stopped. */
function tellOnceLicenseExpired(deps: DrainDeps, ctx: RoutingContext, agentId: string): void {
  const a = ctx.agents.get(agentId);
  if (!a) return;
  const end = expiresAt(a.license, deps.trialDays);
  deps.journal.append(CLOUD_SOURCE, licenseEvent("expired", { id: agentId, name: a.name }, end, deps.now), deps.now);
}

function alertRowOf(restaurantId: string, ctx: RoutingContext, j: JournalRow, event: TillEvent): AlertRow {
  return {
    key: `${restaurantId}:${j.source}:${j.event_id}`,
    restaurantId,
    type: event.type,
    occurredAt: j.occurred_at,
    receivedAt: j.received_at,
    summary: summarizeEvent(event, { currency: ctx.restaurant.currency }),
    amount: event.amount ?? null,
    currency: event.amount != null ? (event.currency ?? ctx.restaurant.currency) : null,
  };
}
