/**
 * The Worker's bindings and settings. CONTRACT §2 lists the variables; every
 * other setting has a default so `wrangler dev` works with only those.
 */
import type { BotBudgetObject } from "./objects/chat/bot-budget-object";
import type { ChatObject } from "./objects/chat-object";
import type { OrderObject } from "./objects/order-object";
import type { RestaurantObject } from "./objects/restaurant-object";

export interface Env {
  DB: D1Database;
  RESTAURANT: DurableObjectNamespace<RestaurantObject>;
  ORDER: DurableObjectNamespace<OrderObject>;
  CHAT: DurableObjectNamespace<ChatObject>;
  /** The bot-wide Telegram send budget shared by all chat objects (src/objects/chat/bot-budget-object.ts). */
  BOT_BUDGET?: DurableObjectNamespace<BotBudgetObject>;
  /** Number of records shards (src/db/shards.ts); shard i > 0 is `RECORDS_DB_<i>`. */
  RECORDS_SHARDS?: string;
  [shard: `RECORDS_DB_${number}`]: D1Database | undefined;

  TELEGRAM_BOT_TOKEN?: string;
  TELEGRAM_API_ROOT?: string;
  TELEGRAM_WEBHOOK_SECRET?: string;
  /** JSON of the bot's getMe answer; saves a getMe per cold isolate. */
  TELEGRAM_BOT_INFO?: string;
  ADMIN_API_TOKEN?: string;
  /** The first admin of the admin page (made at the first login when no user has this email). */
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
  AGENT_KEY_SECRET?: string;
  CONNECTION_LOSS_SECONDS?: string;
  HEARTBEAT_SECONDS?: string;
  ALERT_RETENTION_DAYS?: string;
  JOURNAL_RETENTION_DAYS?: string;
  LINK_CODE_TTL_MINUTES?: string;
  TRIAL_DAYS?: string;
  PAYMENT_EXPIRY_SECONDS?: string;
  POS_EXPORT_POLL_SECONDS?: string;
  /**
   * How long a chat waits for the agent to answer a report request (ms; default 28,000, at most
   * 29,000): the webhook answers Telegram at once and finishes the report under `waitUntil`, which
   * Cloudflare allows 30 s after the answer — the report or the timeout message must be in by then.
   */
  REPORT_TIMEOUT_MS?: string;
  /** Public base URL of the Worker (for links in messages and the admin page). */
  PUBLIC_URL?: string;
}

export interface Config {
  connectionLossSeconds: number;
  heartbeatSeconds: number;
  alertRetentionDays: number;
  journalRetentionDays: number;
  linkCodeTtlMinutes: number;
  trialDays: number;
  paymentExpirySeconds: number;
  posExportPollSeconds: number;
  reportTimeoutMs: number;
  telegramApiRoot: string;
}

function int(value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

export function config(env: Env): Config {
  return {
    connectionLossSeconds: int(env.CONNECTION_LOSS_SECONDS, 90, 1, 86_400),
    heartbeatSeconds: int(env.HEARTBEAT_SECONDS, 30, 1, 3_600),
    alertRetentionDays: int(env.ALERT_RETENTION_DAYS, 90, 1, 3_650),
    journalRetentionDays: int(env.JOURNAL_RETENTION_DAYS, 90, 1, 3_650),
    linkCodeTtlMinutes: int(env.LINK_CODE_TTL_MINUTES, 24 * 60, 1, 7 * 24 * 60),
    trialDays: int(env.TRIAL_DAYS, 30, 0, 365),
    paymentExpirySeconds: int(env.PAYMENT_EXPIRY_SECONDS, 1_800, 1, 7 * 86_400),
    posExportPollSeconds: int(env.POS_EXPORT_POLL_SECONDS, 60, 1, 3_600),
    reportTimeoutMs: int(env.REPORT_TIMEOUT_MS, 28_000, 100, 29_000),
    telegramApiRoot: (env.TELEGRAM_API_ROOT || "https://api.telegram.org").replace(/\/+$/, ""),
  };
}
