/**
 * The local Telegram stand-in: answers Bot API methods the way Telegram
 * does, without a network, and records every message the bot would have sent
 * so the demo and the admin page can show it. Used when no
 * `TELEGRAM_BOT_TOKEN` is set (src/telegram/transport.ts).
 *
 * Pure apart from its store, so it is unit-tested in Node with a memory store
 * and runs in the Worker over D1 (`d1-store.ts`).
 */
import type { BotApiResult } from "../transport";

export interface StandinRecord {
  telegramChatId: number;
  method: string;
  /** What the bot sent, without binary file contents. */
  payload: Record<string, unknown>;
}

export interface StandinStore {
  /** Records a sent message and returns its message id (1, 2, … per chat). */
  record(r: StandinRecord): Promise<number>;
  /** Records an edit or deletion of an existing message (keeps its id). */
  recordChange(r: StandinRecord & { messageId: number }): Promise<void>;
}

/** The bot the stand-in pretends to be. */
export const STANDIN_BOT = {
  id: 1000000001,
  is_bot: true,
  first_name: "Tillwatch (local stand-in)",
  username: "tillwatch_standin_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as const;

const SENDS = new Set(["sendMessage", "sendPhoto", "sendDocument"]);
const CHANGES = new Set(["editMessageText", "editMessageReplyMarkup", "editMessageCaption", "deleteMessage"]);

function bad(description: string): BotApiResult {
  return { ok: false, error_code: 400, description: `Bad Request: ${description}` };
}

function chatIdOf(payload: Record<string, unknown>): number | null {
  const n = Number(payload.chat_id);
  return Number.isSafeInteger(n) && n !== 0 ? n : null;
}

/** A stand-in chat as Telegram describes it: users positive, groups negative, supergroups below -10¹². */
export function chatOf(id: number) {
  return id > 0
    ? { id, type: "private" as const, first_name: "Stand-in user" }
    : { id, type: id < -1_000_000_000_000 ? ("supergroup" as const) : ("group" as const), title: "Stand-in chat" };
}

export async function standinCall(store: StandinStore, method: string, payload: Record<string, unknown>, now = Date.now()): Promise<BotApiResult> {
  const date = Math.floor(now / 1000);
  if (SENDS.has(method)) {
    const chatId = chatIdOf(payload);
    if (chatId === null) return bad("chat not found");
    if (method === "sendMessage" && (typeof payload.text !== "string" || payload.text.length === 0)) return bad("message text is empty");
    if (method === "sendMessage" && (payload.text as string).length > 4096) return bad("message is too long");
    const messageId = await store.record({ telegramChatId: chatId, method, payload });
    const message: Record<string, unknown> = { message_id: messageId, date, chat: chatOf(chatId), from: STANDIN_BOT };
    if (typeof payload.text === "string") message.text = payload.text;
    if (typeof payload.caption === "string") message.caption = payload.caption;
    if (method === "sendPhoto") message.photo = [{ file_id: `standin-photo-${chatId}-${messageId}`, file_unique_id: `p${messageId}`, width: 800, height: 400 }];
    return { ok: true, result: message };
  }
  if (method === "sendMediaGroup") {
    const chatId = chatIdOf(payload);
    if (chatId === null) return bad("chat not found");
    const media = Array.isArray(payload.media) ? payload.media : [];
    if (media.length < 2 || media.length > 10) return bad("wrong number of media in the album");
    const result = [];
    for (const item of media) {
      const messageId = await store.record({ telegramChatId: chatId, method, payload: { chat_id: chatId, media: [item] } });
      result.push({ message_id: messageId, date, chat: chatOf(chatId), from: STANDIN_BOT });
    }
    return { ok: true, result };
  }
  if (CHANGES.has(method)) {
    const chatId = chatIdOf(payload);
    const messageId = Number(payload.message_id);
    if (chatId === null) return bad("chat not found");
    if (!Number.isSafeInteger(messageId) || messageId <= 0) return bad("message to edit not found");
    await store.recordChange({ telegramChatId: chatId, method, payload, messageId });
    if (method === "deleteMessage") return { ok: true, result: true };
    return { ok: true, result: { message_id: messageId, date, edit_date: date, chat: chatOf(chatId), from: STANDIN_BOT, ...(typeof payload.text === "string" ? { text: payload.text } : {}) } };
  }
  switch (method) {
    case "getMe":
      return { ok: true, result: STANDIN_BOT };
    case "answerCallbackQuery":
    case "setMyCommands":
    case "deleteMyCommands":
    case "setWebhook":
    case "deleteWebhook":
    case "setChatMenuButton":
    case "sendChatAction":
      return { ok: true, result: true };
    case "getChatMember": {
      const chatId = chatIdOf(payload);
      const userId = Number(payload.user_id);
      if (chatId === null) return bad("chat not found");
      // Locally everyone may administer: the demo has one person playing every role.
      return { ok: true, result: { status: "administrator", user: { id: userId, is_bot: false, first_name: "Stand-in user" }, can_be_edited: false } };
    }
    case "getChat": {
      const chatId = chatIdOf(payload);
      if (chatId === null) return bad("chat not found");
      return { ok: true, result: chatOf(chatId) };
    }
    default:
      return { ok: false, error_code: 404, description: "Not Found: method not found" };
  }
}
