/**
 * D1: the queryable record shared across restaurants. One drizzle schema;
 * `npm run db:generate` turns changes into SQL files in migrations/.
 *
 * What lives here and what does not (docs/ARCHITECTURE.md has the numbers):
 * each restaurant's full event journal, dedup index and seq state live in its
 * RestaurantObject's own SQLite; D1 holds what must be queried across
 * restaurants — accounts, restaurants, agents (licenses), chats and their
 * links, link codes, orders, the index of alert-worthy events with their
 * deliveries, users and sessions of the admin page.
 *
 * Times are integers in milliseconds since the epoch (UTC). Money is integers
 * in minor units. Booleans are 0/1.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
const createdAt = () => integer("created_at").notNull().default(now);

// ---------------------------------------------------------------- accounts

/** An owner or a chain: the unit of billing and of the owner's chat. */
export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const restaurants = sqliteTable(
  "restaurants",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    /** IANA zone, e.g. "Europe/Moscow": every time shown to people is in it. */
    timezone: text("timezone").notNull(),
    currency: text("currency").notNull().default("RUB"),
    /** Short city marker for the monitoring panel ("KYV"), and its colour. */
    city: text("city"),
    cityColor: text("city_color"),
    createdAt: createdAt(),
    // Live state projected from the RestaurantObject (its outbox drain writes
    // these; `liveVersion` makes the write idempotent and ordered).
    connectionState: text("connection_state", { enum: ["never", "online", "lost"] })
      .notNull()
      .default("never"),
    connectionSince: integer("connection_since"),
    posOnline: integer("pos_online", { mode: "boolean" }),
    posSince: integer("pos_since"),
    lastSeenAt: integer("last_seen_at"),
    lastEventAt: integer("last_event_at"),
    liveVersion: integer("live_version").notNull().default(0),
  },
  (t) => [index("restaurants_account").on(t.accountId)],
);

/**
 * One agent per cash server, and one license per agent. The agent's key is
 * not here in any form: it is derived from AGENT_KEY_SECRET and a salt kept by
 * the restaurant's object (see docs/ARCHITECTURE.md, "Agent keys").
 */
export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    restaurantId: text("restaurant_id")
      .notNull()
      .references(() => restaurants.id),
    name: text("name").notNull(),
    createdAt: createdAt(),
    keyRotatedAt: integer("key_rotated_at"),
    revokedAt: integer("revoked_at"),
    licensePlan: text("license_plan", { enum: ["trial", "monthly", "yearly"] })
      .notNull()
      .default("trial"),
    trialStartedAt: integer("trial_started_at").notNull(),
    /** End of the paid period; the license runs until max(trial end, paidUntil). */
    paidUntil: integer("paid_until"),
    /** Last expiry notice sent to chats ("7d", "1d", "expired") and for which expiry moment. */
    licenseNotice: text("license_notice"),
    licenseNoticeFor: integer("license_notice_for"),
    agentVersion: text("agent_version"),
    posKind: text("pos_kind"),
    posVersion: text("pos_version"),
    lastSeenAt: integer("last_seen_at"),
  },
  (t) => [index("agents_restaurant").on(t.restaurantId)],
);

// ---------------------------------------------------------------- Telegram chats

export const chats = sqliteTable("chats", {
  /** Internal id: stays the same when a group becomes a supergroup and its Telegram id changes. */
  id: text("id").primaryKey(),
  telegramChatId: integer("telegram_chat_id").notNull().unique(),
  type: text("type", { enum: ["private", "group", "supergroup", "channel"] }).notNull(),
  title: text("title"),
  /** JSON of ChatSettings (src/domain/chat-settings.ts): overrides only. */
  settings: text("settings").notNull().default("{}"),
  status: text("status", { enum: ["active", "inactive"] })
    .notNull()
    .default("active"),
  /** Why a chat is inactive: "kicked", "blocked", "chat_not_found", … */
  statusReason: text("status_reason"),
  createdAt: createdAt(),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** A chat sees a restaurant (local managers) or a whole account (owners). Exactly one of the two is set. */
export const chatLinks = sqliteTable(
  "chat_links",
  {
    id: text("id").primaryKey(),
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id),
    restaurantId: text("restaurant_id").references(() => restaurants.id),
    accountId: text("account_id").references(() => accounts.id),
    /** Telegram user id of who linked it. */
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("chat_links_chat_restaurant").on(t.chatId, t.restaurantId),
    uniqueIndex("chat_links_chat_account").on(t.chatId, t.accountId),
    index("chat_links_restaurant").on(t.restaurantId),
    index("chat_links_account").on(t.accountId),
  ],
);

/** Single-use, expiring codes for `/link`. Only a hash of the code is stored. */
export const linkCodes = sqliteTable("link_codes", {
  codeHash: text("code_hash").primaryKey(),
  restaurantId: text("restaurant_id").references(() => restaurants.id),
  accountId: text("account_id").references(() => accounts.id),
  createdAt: createdAt(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
  usedByChatId: text("used_by_chat_id"),
});

// ---------------------------------------------------------------- alerts and deliveries

/**
 * The index of alert-worthy events (those routed to at least one chat) for the
 * admin page. The full event stays in the restaurant object's journal; this
 * row carries what a list needs. Kept for ALERT_RETENTION_DAYS (default 90).
 */
export const alerts = sqliteTable(
  "alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** `<restaurantId>:<source>:<eventId>` where source is the agent id or "cloud": the idempotency key. */
    key: text("key").notNull().unique(),
    restaurantId: text("restaurant_id").notNull(),
    type: text("type").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    receivedAt: integer("received_at").notNull(),
    /** One line for lists, plain text (never HTML). */
    summary: text("summary").notNull(),
    amount: integer("amount"),
    currency: text("currency"),
  },
  (t) => [index("alerts_restaurant_time").on(t.restaurantId, t.occurredAt), index("alerts_time").on(t.occurredAt)],
);

/** One row per alert × chat: what happened to the message. */
export const deliveries = sqliteTable(
  "deliveries",
  {
    alertId: integer("alert_id").notNull(),
    chatId: text("chat_id").notNull(),
    status: text("status", { enum: ["pending", "sent", "failed", "skipped"] }).notNull(),
    telegramMessageId: integer("telegram_message_id"),
    /** For failed and skipped: Telegram's description or our reason. */
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.chatId] }), index("deliveries_chat").on(t.chatId, t.createdAt)],
);

// ---------------------------------------------------------------- orders (the operator's card)

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    restaurantId: text("restaurant_id").notNull(),
    /** The ordering channel and its own id for the order: the idempotency key of create/update. */
    source: text("source", { enum: ["site", "ios", "android", "call_center", "pos"] }).notNull(),
    externalId: text("external_id").notNull(),
    number: text("number").notNull(),
    status: text("status").notNull(),
    operator: text("operator"),
    deliveryType: text("delivery_type").notNull(),
    total: integer("total").notNull(),
    currency: text("currency").notNull(),
    /** Derived in the order object, projected for filtering. */
    problemIndicator: text("problem_indicator", { enum: ["grey", "orange", "yellow", "green"] })
      .notNull()
      .default("grey"),
    paymentMethod: text("payment_method"),
    needsCall: integer("needs_call", { mode: "boolean" }).notNull().default(false),
    posExportState: text("pos_export_state", { enum: ["not_sent", "pending", "created", "failed"] })
      .notNull()
      .default("not_sent"),
    /** The whole card as the order object last committed it (JSON). */
    card: text("card").notNull(),
    /** Order object's version of this projection: a drain only moves it forward. */
    version: integer("version").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("orders_external").on(t.accountId, t.source, t.externalId),
    index("orders_restaurant_updated").on(t.restaurantId, t.updatedAt),
    index("orders_account_updated").on(t.accountId, t.updatedAt),
  ],
);

export const orderProblems = sqliteTable(
  "order_problems",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    restaurantId: text("restaurant_id").notNull(),
    culprit: text("culprit", { enum: ["restaurant", "courier", "operator", "client", "other"] }).notNull(),
    description: text("description").notNull(),
    state: text("state", { enum: ["new", "in_progress", "resolved", "rejected"] }).notNull(),
    resolution: text("resolution"),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("order_problems_order").on(t.orderId), index("order_problems_open").on(t.restaurantId, t.state)],
);

export const orderPayments = sqliteTable(
  "order_payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    method: text("method", { enum: ["cash", "terminal", "online", "cashback"] }).notNull(),
    /** payment, surcharge (total went up after a hold) or refund (went down). */
    kind: text("kind", { enum: ["payment", "surcharge", "refund"] }).notNull(),
    amount: integer("amount").notNull(),
    state: text("state").notNull(),
    providerRef: text("provider_ref"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("order_payments_order").on(t.orderId), index("order_payments_provider").on(t.providerRef)],
);

/** The order's action history: who, when, what changed (before → after). Append-only. */
export const orderHistory = sqliteTable(
  "order_history",
  {
    orderId: text("order_id").notNull(),
    seq: integer("seq").notNull(),
    at: integer("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    /** JSON: { field: [before, after] } or action-specific detail. */
    changes: text("changes").notNull().default("{}"),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.seq] })],
);

/** Per-account keys for the orders API and the payment webhook. Only a hash is stored. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    scope: text("scope", { enum: ["orders", "payments"] }).notNull(),
    keyHash: text("key_hash").notNull().unique(),
    /** First characters of the key, to recognise it in a list. */
    prefix: text("prefix").notNull(),
    createdAt: createdAt(),
    revokedAt: integer("revoked_at"),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("api_keys_account").on(t.accountId)],
);

// ---------------------------------------------------------------- admin page users

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  /** PBKDF2-SHA256: base64url hash, salt and iteration count. */
  passwordHash: text("password_hash").notNull(),
  passwordSalt: text("password_salt").notNull(),
  passwordIterations: integer("password_iterations").notNull(),
  role: text("role", { enum: ["admin", "owner", "operator"] }).notNull(),
  /** Null for admins; owners and operators belong to one account. */
  accountId: text("account_id").references(() => accounts.id),
  createdAt: createdAt(),
  disabledAt: integer("disabled_at"),
});

/** Restaurants an operator works on. */
export const userRestaurants = sqliteTable(
  "user_restaurants",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    restaurantId: text("restaurant_id")
      .notNull()
      .references(() => restaurants.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.restaurantId] })],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the session token; the token itself lives only in the cookie. */
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    csrfToken: text("csrf_token").notNull(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

/** Failed logins per email and per client address, for throttling. */
export const loginAttempts = sqliteTable("login_attempts", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  failures: integer("failures").notNull(),
  lockedUntil: integer("locked_until"),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull().default(now),
    /** "admin-api", "user:<id>", "telegram:<user id>", "agent:<id>" */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    details: text("details").notNull().default("{}"),
  },
  (t) => [index("audit_log_target").on(t.targetType, t.targetId), index("audit_log_time").on(t.at)],
);

// ---------------------------------------------------------------- Telegram plumbing

/** What the local Telegram stand-in "sent" (demo mode, no bot token): the admin page shows it. */
export const standinMessages = sqliteTable(
  "standin_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    telegramChatId: integer("telegram_chat_id").notNull(),
    method: text("method").notNull(),
    messageId: integer("message_id").notNull(),
    payload: text("payload").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("standin_chat").on(t.telegramChatId, t.id)],
);

/** Telegram re-sends an update it thinks failed: remember what was handled. */
export const telegramUpdates = sqliteTable("telegram_updates", {
  updateId: integer("update_id").primaryKey(),
  receivedAt: integer("received_at").notNull(),
});

/** Small values the Worker keeps (bot info, command-menu version, …). */
export const kv = sqliteTable("kv", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});
