/**
 * Talking to the bot as Telegram would: updates POSTed to /telegram/webhook
 * with the secret header; what the bot sent is read back from the fake Bot API.
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { database } from "../../src/db/client";
import { chatLinks, chats } from "../../src/db/schema";
import { FakeTelegramControl } from "../fake-telegram/client";
import type { Call } from "../fake-telegram/server";
import { admin, call } from "./helpers";

export const SECRET = "test-webhook-secret";
export const BOT_ID = 4242;
export const fake = new FakeTelegramControl(env.TELEGRAM_API_ROOT!);

let nextUpdateId = Math.floor(Math.random() * 1_000_000_000);
let nextChat = 0;
let nextMessage = 1;

export function postUpdate(update: Record<string, unknown>, secret: string | null = SECRET): Promise<Response> {
  return call("/telegram/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === null ? {} : { "X-Telegram-Bot-Api-Secret-Token": secret }) },
    body: JSON.stringify(update.update_id === undefined ? { update_id: ++nextUpdateId, ...update } : update),
  });
}

export interface TgChat {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
  first_name?: string;
}
export interface TgUser {
  id: number;
  is_bot: false;
  first_name: string;
  language_code?: string;
}

/** A chat id nobody else in the run uses (the fake keeps state per chat id). */
export function newChat(type: TgChat["type"] = "group", title = "Смена бара"): TgChat {
  nextChat++;
  const n = 100_000 + Math.floor(Math.random() * 800_000_000) + nextChat;
  return type === "private" ? { id: n, type, first_name: "Анна" } : { id: -(type === "supergroup" ? 1_000_000_000_000 + n : n), type, title };
}

export const user = (id: number, language_code = "ru"): TgUser => ({ id, is_bot: false, first_name: `User ${id}`, language_code });

export function message(chat: TgChat, from: TgUser, text: string, extra: Record<string, unknown> = {}) {
  const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }] : [];
  return { message: { message_id: nextMessage++, date: Math.floor(Date.now() / 1000), chat, from, text, entities, ...extra } };
}

export const command = (chat: TgChat, from: TgUser, text: string) => postUpdate(message(chat, from, text));

export function tap(chat: TgChat, from: TgUser, data: string, messageId = 1) {
  const id = `cb${++nextUpdateId}`;
  return {
    id,
    send: () =>
      postUpdate({
        callback_query: {
          id,
          from,
          chat_instance: `ci${chat.id}`,
          data,
          message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, from: { id: BOT_ID, is_bot: true, first_name: "Fake Tillwatch" }, text: "menu" },
        },
      }),
  };
}

export function memberUpdate(chat: TgChat, from: TgUser, was: string, now: string) {
  const bot = { id: BOT_ID, is_bot: true, first_name: "Fake Tillwatch", username: "fake_tillwatch_bot" };
  return postUpdate({
    my_chat_member: {
      chat,
      from,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { user: bot, status: was },
      new_chat_member: now === "kicked" ? { user: bot, status: now, until_date: 0 } : { user: bot, status: now },
    },
  });
}

/** Everything the bot sent to a chat (accepted or not), in order. */
export async function sentTo(chatId: number): Promise<Call[]> {
  const { calls } = await fake.calls(chatId);
  return calls.filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
}

export async function lastText(chatId: number): Promise<string> {
  const calls = (await sentTo(chatId)).filter((c) => c.status === 200);
  return String(calls.at(-1)?.payload.text ?? "");
}

export async function callbackAnswers(queryId: string): Promise<Call[]> {
  const { calls } = await fake.calls();
  return calls.filter((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === queryId);
}

export async function linkCode(to: { restaurantId: string } | { accountId: string }): Promise<string> {
  const r = await admin("POST", "/link-codes", to);
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.code as string;
}

export async function chatRow(telegramChatId: number) {
  const [row] = await database(env.DB).select().from(chats).where(eq(chats.telegramChatId, telegramChatId));
  return row ?? null;
}

export async function linksOfChat(telegramChatId: number) {
  const row = await chatRow(telegramChatId);
  if (!row) return [];
  return database(env.DB).select().from(chatLinks).where(eq(chatLinks.chatId, row.id));
}
