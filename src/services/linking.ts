/**
 * `/link <code>`: redeeming a single-use, expiring link code for a Telegram
 * chat. One D1 batch (a transaction) creates or re-activates the chat, marks
 * the code used by it, and adds the link — each step conditional on the code
 * being valid and claimed by this chat, so two chats racing for one code
 * cannot both win and a refused code changes nothing.
 */
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { restaurantsOfAccount } from "../db/chats";
import { accounts, restaurants } from "../db/schema";
import type { Language } from "../domain/chat-settings";
import type { Env } from "../env";
import { sha256Hex } from "../lib/crypto";
import { newId, normalizeLinkCode } from "../lib/ids";

export interface LinkRequest {
  code: string;
  telegramChatId: number;
  chatType: "private" | "group" | "supergroup" | "channel";
  title: string | null;
  /** Telegram user id of who sent /link. */
  userId: number | null;
  /** Language for a chat seen for the first time. */
  language: Language;
}

export type LinkResult =
  | {
      ok: true;
      chatId: string;
      scope: "restaurant" | "account";
      targetId: string;
      name: string;
      /** For an account: its restaurants' names. */
      restaurants: string[];
      /** The chat was already linked to this target (the code is used up all the same). */
      alreadyLinked: boolean;
    }
  | { ok: false; reason: "unknown" | "expired" | "used" };

interface CodeRow {
  restaurant_id: string | null;
  account_id: string | null;
  expires_at: number;
  used_at: number | null;
  used_by_chat_id: string | null;
}

export async function redeemLinkCode(env: Env, req: LinkRequest, now = Date.now()): Promise<LinkResult> {
  const code = normalizeLinkCode(req.code);
  if (!/^[A-Z0-9]{5}-[A-Z0-9]{5}$/.test(code)) return { ok: false, reason: "unknown" };
  const hash = await sha256Hex(code);
  const chatIdOf = "(SELECT id FROM chats WHERE telegram_chat_id = ?4)";
  const claimed = `lc.code_hash = ?1 AND lc.used_at = ?2 AND lc.used_by_chat_id = ${chatIdOf}`;
  const d1 = env.DB;
  const [, claim, link, , codeRow] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO chats (id, telegram_chat_id, type, title, settings, status, created_at, updated_at)
         SELECT ?3, ?4, ?5, ?6, ?7, 'active', ?2, ?2
         WHERE EXISTS (SELECT 1 FROM link_codes WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2)
         ON CONFLICT (telegram_chat_id) DO UPDATE SET
           type = excluded.type, title = excluded.title, status = 'active', status_reason = NULL, updated_at = excluded.updated_at`,
      )
      .bind(hash, now, newId.chat(), req.telegramChatId, req.chatType, req.title, JSON.stringify({ language: req.language })),
    d1
      .prepare(
        `UPDATE link_codes SET used_at = ?2, used_by_chat_id = ${chatIdOf}
         WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2`,
      )
      .bind(hash, now, null, req.telegramChatId),
    d1
      .prepare(
        `INSERT INTO chat_links (id, chat_id, restaurant_id, account_id, created_by, created_at)
         SELECT ?3, lc.used_by_chat_id, lc.restaurant_id, lc.account_id, ?5, ?2 FROM link_codes lc WHERE ${claimed}
         ON CONFLICT DO NOTHING`,
      )
      .bind(hash, now, newId.link(), req.telegramChatId, req.userId === null ? null : String(req.userId)),
    d1
      .prepare(
        `INSERT INTO audit_log (at, actor, action, target_type, target_id, details)
         SELECT ?2, ?3, 'chat.link', 'chat', lc.used_by_chat_id,
                json_object('restaurantId', lc.restaurant_id, 'accountId', lc.account_id, 'telegramChatId', ?4)
         FROM link_codes lc WHERE ${claimed}`,
      )
      .bind(hash, now, req.userId === null ? "telegram" : `telegram:${req.userId}`, req.telegramChatId),
    d1.prepare("SELECT restaurant_id, account_id, expires_at, used_at, used_by_chat_id FROM link_codes WHERE code_hash = ?1").bind(hash),
  ]);
  const row = (codeRow!.results as CodeRow[])[0];
  if (!row) return { ok: false, reason: "unknown" };
  if (claim!.meta.changes === 0) return { ok: false, reason: row.used_at !== null ? "used" : row.expires_at <= now ? "expired" : "unknown" };

  const db = database(env.DB);
  const alreadyLinked = link!.meta.changes === 0;
  if (row.restaurant_id) {
    const [r] = await db.select({ name: restaurants.name }).from(restaurants).where(eq(restaurants.id, row.restaurant_id));
    return { ok: true, chatId: row.used_by_chat_id!, scope: "restaurant", targetId: row.restaurant_id, name: r?.name ?? row.restaurant_id, restaurants: [], alreadyLinked };
  }
  const accountId = row.account_id!;
  const [[a], names] = await Promise.all([
    db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)),
    restaurantsOfAccount(db, accountId),
  ]);
  return { ok: true, chatId: row.used_by_chat_id!, scope: "account", targetId: accountId, name: a?.name ?? accountId, restaurants: names, alreadyLinked };
}
