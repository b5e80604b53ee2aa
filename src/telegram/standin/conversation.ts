/**
 * The local stand-in as a chat you can use (demo mode, no bot token): what
 * the stand-in recorded, folded into the messages as they stand now (edits
 * applied, deleted ones gone), and the Telegram updates a person writing in
 * the chat or tapping a button would produce. Pure: the admin page renders
 * the conversation and hands the updates to the bot.
 */
import { chatOf } from "./bot-api";

export interface StandinRow {
  telegramChatId: number;
  method: string;
  messageId: number;
  payload: Record<string, unknown>;
  createdAt: number;
}

export interface InlineButton {
  text: string;
  /** callback_data, when the button is one the bot handles. */
  data?: string;
  url?: string;
}

export interface ConversationMessage {
  messageId: number;
  /** Who wrote it: the bot, or the person using the stand-in. */
  from: "bot" | "user";
  /** Telegram HTML for the bot's messages, plain text for the user's. */
  text: string;
  photo: boolean;
  buttons: InlineButton[][];
  edited: boolean;
  at: number;
}

/** The method a person's own message is recorded under (it takes a message id like any message). */
export const USER_MESSAGE = "user.message";

type Markup = { inline_keyboard?: Array<Array<{ text?: unknown; callback_data?: unknown; url?: unknown }>> };

function buttonsOf(markup: unknown): InlineButton[][] {
  const m = (typeof markup === "string" ? safeJson(markup) : markup) as Markup | null;
  if (!m || !Array.isArray(m.inline_keyboard)) return [];
  return m.inline_keyboard
    .filter(Array.isArray)
    .map((row) =>
      row
        .filter((b) => b && typeof b.text === "string")
        .map((b) => ({
          text: String(b.text),
          ...(typeof b.callback_data === "string" ? { data: b.callback_data } : {}),
          ...(typeof b.url === "string" ? { url: b.url } : {}),
        })),
    )
    .filter((row) => row.length > 0);
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/** Folds one chat's recorded calls (oldest first) into its messages as they stand now, oldest first. */
export function conversation(rows: readonly StandinRow[]): ConversationMessage[] {
  const byId = new Map<number, ConversationMessage>();
  for (const r of rows) {
    const p = r.payload;
    const text = typeof p.text === "string" ? p.text : typeof p.caption === "string" ? p.caption : "";
    switch (r.method) {
      case "sendMessage":
      case "sendPhoto":
      case "sendDocument":
      case "sendMediaGroup":
      case USER_MESSAGE:
        byId.set(r.messageId, {
          messageId: r.messageId,
          from: r.method === USER_MESSAGE ? "user" : "bot",
          text,
          photo: r.method === "sendPhoto" || r.method === "sendMediaGroup",
          buttons: buttonsOf(p.reply_markup),
          edited: false,
          at: r.createdAt,
        });
        break;
      case "editMessageText":
      case "editMessageCaption": {
        const m = byId.get(r.messageId);
        // Telegram drops the keyboard when an edit does not repeat it.
        if (m) Object.assign(m, { text, buttons: buttonsOf(p.reply_markup), edited: true });
        break;
      }
      case "editMessageReplyMarkup": {
        const m = byId.get(r.messageId);
        if (m) Object.assign(m, { buttons: buttonsOf(p.reply_markup), edited: true });
        break;
      }
      case "deleteMessage":
        byId.delete(r.messageId);
        break;
    }
  }
  return [...byId.values()].sort((a, b) => a.messageId - b.messageId);
}

/** The person using the stand-in: in a private chat the chat's id is theirs, as in Telegram. */
export function standinUser(telegramChatId: number, lang: string) {
  return { id: telegramChatId > 0 ? telegramChatId : 777_000_001, is_bot: false, first_name: "Stand-in user", language_code: lang };
}


/** Telegram's update ids only grow; the clock in seconds (plus a counter) does that here. */
let lastUpdateId = 0;
function nextUpdateId(now: number): number {
  lastUpdateId = Math.max(lastUpdateId + 1, Math.floor(now / 1000) % 2 ** 31);
  return lastUpdateId;
}

/** The update Telegram sends when a person writes `text` in the chat. */
export function messageUpdate(telegramChatId: number, messageId: number, text: string, lang: string, now: number) {
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return {
    update_id: nextUpdateId(now),
    message: {
      message_id: messageId,
      date: Math.floor(now / 1000),
      chat: chatOf(telegramChatId),
      from: standinUser(telegramChatId, lang),
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
    },
  };
}

/** The update Telegram sends when a person taps an inline button of message `messageId`. */
export function callbackUpdate(telegramChatId: number, messageId: number, messageText: string, data: string, lang: string, now: number) {
  const updateId = nextUpdateId(now);
  return {
    update_id: updateId,
    callback_query: {
      id: `standin-${updateId}`,
      from: standinUser(telegramChatId, lang),
      chat_instance: `standin-${telegramChatId}`,
      data,
      message: { message_id: messageId, date: Math.floor(now / 1000), chat: chatOf(telegramChatId), text: messageText },
    },
  };
}
