/**
 * Telegram chats in D1 as the bot sees them: find a chat by its Telegram id,
 * its links (with names), the restaurants it may see, its status, its
 * settings. Routing reads the same rows (src/db/routing-context.ts).
 */
import { and, eq, inArray, isNotNull, or } from "drizzle-orm";
import type { Db } from "./client";
import { accounts, agents, auditLog, chatLinks, chats, restaurants } from "./schema";

export type ChatRow = typeof chats.$inferSelect;

export async function findChat(db: Db, telegramChatId: number): Promise<ChatRow | null> {
  const [row] = await db.select().from(chats).where(eq(chats.telegramChatId, telegramChatId));
  return row ?? null;
}

export interface LinkView {
  linkId: string;
  scope: "restaurant" | "account";
  targetId: string;
  name: string;
}

/** The chat's links, restaurants by name, then accounts. */
export async function linksOf(db: Db, chatId: string): Promise<LinkView[]> {
  const rows = await db
    .select({
      linkId: chatLinks.id,
      restaurantId: chatLinks.restaurantId,
      accountId: chatLinks.accountId,
      restaurantName: restaurants.name,
      accountName: accounts.name,
    })
    .from(chatLinks)
    .leftJoin(restaurants, eq(restaurants.id, chatLinks.restaurantId))
    .leftJoin(accounts, eq(accounts.id, chatLinks.accountId))
    .where(eq(chatLinks.chatId, chatId))
    .orderBy(chatLinks.createdAt, chatLinks.id);
  return rows.map((r) =>
    r.restaurantId
      ? { linkId: r.linkId, scope: "restaurant", targetId: r.restaurantId, name: r.restaurantName ?? r.restaurantId }
      : { linkId: r.linkId, scope: "account", targetId: r.accountId ?? "", name: r.accountName ?? r.accountId ?? "" },
  );
}

export interface VisibleRestaurant {
  id: string;
  name: string;
  timezone: string;
}

/** Every restaurant the chat sees: linked directly, or through its account. */
export async function visibleRestaurants(db: Db, chatId: string): Promise<VisibleRestaurant[]> {
  const direct = db.select({ id: chatLinks.restaurantId }).from(chatLinks).where(and(eq(chatLinks.chatId, chatId), isNotNull(chatLinks.restaurantId)));
  const viaAccount = db.select({ id: chatLinks.accountId }).from(chatLinks).where(and(eq(chatLinks.chatId, chatId), isNotNull(chatLinks.accountId)));
  return db
    .select({ id: restaurants.id, name: restaurants.name, timezone: restaurants.timezone })
    .from(restaurants)
    .where(or(inArray(restaurants.id, direct), inArray(restaurants.accountId, viaAccount)))
    .orderBy(restaurants.name, restaurants.id);
}

export async function restaurantsOfAccount(db: Db, accountId: string): Promise<string[]> {
  const rows = await db.select({ name: restaurants.name }).from(restaurants).where(eq(restaurants.accountId, accountId)).orderBy(restaurants.name);
  return rows.map((r) => r.name);
}

export async function licensesOf(db: Db, restaurantIds: string[]) {
  if (restaurantIds.length === 0) return [];
  return db
    .select({
      restaurantId: agents.restaurantId,
      plan: agents.licensePlan,
      trialStartedAt: agents.trialStartedAt,
      paidUntil: agents.paidUntil,
      revokedAt: agents.revokedAt,
    })
    .from(agents)
    .where(inArray(agents.restaurantId, restaurantIds));
}

/**
 * Marks the chat with this Telegram id active or inactive; returns the chat
 * when its status changed (null when unknown or already so).
 */
export async function setChatStatus(
  db: Db,
  telegramChatId: number,
  status: "active" | "inactive",
  reason: string | null,
  actor: string,
): Promise<ChatRow | null> {
  const chat = await findChat(db, telegramChatId);
  if (!chat || (chat.status === status && chat.statusReason === reason)) return null;
  await db.batch([
    db
      .update(chats)
      .set({ status, statusReason: reason, updatedAt: Date.now() })
      .where(eq(chats.id, chat.id)),
    db.insert(auditLog).values({
      actor,
      action: status === "active" ? "chat.activate" : "chat.deactivate",
      targetType: "chat",
      targetId: chat.id,
      details: JSON.stringify({ reason }),
    }),
  ]);
  return { ...chat, status, statusReason: reason };
}

/**
 * A group became a supergroup: the chat keeps its internal id, links and
 * settings, and follows to the new Telegram id. Idempotent (Telegram reports
 * it twice, from the old chat and from the new one).
 */
export async function migrateChat(db: Db, fromTelegramId: number, toTelegramId: number): Promise<ChatRow | null> {
  const [from, to] = await Promise.all([findChat(db, fromTelegramId), findChat(db, toTelegramId)]);
  if (!from) return to;
  if (to) {
    // Both exist (the new supergroup was linked before the old group's rows moved): keep the new one, and
    // carry over the old chat's links it does not have yet, so nothing the old group saw is lost.
    // Raw statements: drizzle's batch takes query builders only, and these copy rows with SQL of their own.
    const d1 = db.$client;
    await d1.batch([
      d1
        .prepare(
          `INSERT OR IGNORE INTO chat_links (id, chat_id, restaurant_id, account_id, created_by, created_at)
           SELECT 'lnk_' || lower(hex(randomblob(8))), ?1, restaurant_id, account_id, created_by, created_at FROM chat_links WHERE chat_id = ?2`,
        )
        .bind(to.id, from.id),
      d1.prepare("DELETE FROM chat_links WHERE chat_id = ?1").bind(from.id),
      d1.prepare("UPDATE chats SET status = 'inactive', status_reason = 'migrated', updated_at = ?2 WHERE id = ?1").bind(from.id, Date.now()),
      d1
        .prepare("INSERT INTO audit_log (actor, action, target_type, target_id, details) VALUES ('telegram', 'chat.migrate', 'chat', ?1, ?2)")
        .bind(to.id, JSON.stringify({ from: fromTelegramId, to: toTelegramId, mergedFrom: from.id })),
    ]);
    return to;
  }
  await db.batch([
    db
      .update(chats)
      .set({ telegramChatId: toTelegramId, type: "supergroup", status: "active", statusReason: null, updatedAt: Date.now() })
      .where(eq(chats.id, from.id)),
    db.insert(auditLog).values({
      actor: "telegram",
      action: "chat.migrate",
      targetType: "chat",
      targetId: from.id,
      details: JSON.stringify({ from: fromTelegramId, to: toTelegramId }),
    }),
  ]);
  return { ...from, telegramChatId: toTelegramId, type: "supergroup", status: "active", statusReason: null };
}

/**
 * Read-modify-write of the settings JSON with a compare-and-swap, so two
 * admins tapping at once both land. `change` returns the new JSON or null for
 * "nothing to change". Returns the JSON now stored.
 */
export async function updateChatSettings(db: Db, chatId: string, change: (json: string) => string | null): Promise<string | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await db.select({ settings: chats.settings }).from(chats).where(eq(chats.id, chatId));
    if (!row) return null;
    const next = change(row.settings);
    if (next === null) return row.settings;
    const res = await db
      .update(chats)
      .set({ settings: next, updatedAt: Date.now() })
      .where(and(eq(chats.id, chatId), eq(chats.settings, row.settings)));
    if (res.meta.changes > 0) return next;
  }
  throw new Error(`chat ${chatId}: settings kept changing under us`);
}

/**
 * Removes one link of this chat (a link id of another chat matches nothing);
 * the audit row is written in the same batch, only when a link went.
 */
export async function deleteLink(db: Db, chatId: string, linkId: string, actor: string): Promise<boolean> {
  const d1 = db.$client;
  const [, removed] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO audit_log (actor, action, target_type, target_id, details)
         SELECT ?3, 'chat.unlink', 'chat', ?1, json_object('linkId', id, 'restaurantId', restaurant_id, 'accountId', account_id)
         FROM chat_links WHERE id = ?2 AND chat_id = ?1`,
      )
      .bind(chatId, linkId, actor),
    d1.prepare("DELETE FROM chat_links WHERE id = ?2 AND chat_id = ?1").bind(chatId, linkId),
  ]);
  return (removed?.meta.changes ?? 0) > 0;
}
