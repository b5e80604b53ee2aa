/** The stand-in's record folded into a chat as it stands, and the updates a person in it produces. */
import { describe, expect, it } from "vitest";
import { callbackUpdate, conversation, messageUpdate, USER_MESSAGE, type StandinRow } from "../../src/telegram/standin/conversation";

const row = (method: string, messageId: number, payload: Record<string, unknown>, createdAt = messageId): StandinRow => ({ telegramChatId: 5, method, messageId, payload, createdAt });
const keyboard = (...buttons: Array<[string, string]>) => ({ inline_keyboard: [buttons.map(([text, callback_data]) => ({ text, callback_data }))] });

describe("a stand-in chat as it stands", () => {
  it("shows the person's messages and the bot's, in order, edits applied", () => {
    const c = conversation([
      row(USER_MESSAGE, 1, { text: "/report" }),
      row("sendMessage", 2, { text: "<b>Выберите отчёт</b>", reply_markup: keyboard(["Баланс", "rp:r:1"]) }),
      row("editMessageText", 2, { text: "⏳ Запрашиваю…" }),
      row("editMessageText", 2, { text: "<pre>Итого</pre>", reply_markup: JSON.stringify(keyboard(["Ещё", "rp:h"])) }),
      row("sendPhoto", 3, { caption: "Продажи по часам" }),
    ]);
    expect(c.map((m) => [m.messageId, m.from, m.text, m.edited, m.photo])).toEqual([
      [1, "user", "/report", false, false],
      [2, "bot", "<pre>Итого</pre>", true, false],
      [3, "bot", "Продажи по часам", false, true],
    ]);
    expect(c[1]!.buttons).toEqual([[{ text: "Ещё", data: "rp:h" }]]);
  });

  it("drops the keyboard when an edit does not repeat it, and forgets deleted messages", () => {
    const c = conversation([
      row("sendMessage", 1, { text: "menu", reply_markup: keyboard(["x", "st:x"]) }),
      row("editMessageText", 1, { text: "done" }),
      row("sendMessage", 2, { text: "gone" }),
      row("deleteMessage", 2, {}),
      row("editMessageReplyMarkup", 9, { reply_markup: keyboard(["?", "st:?"]) }),
    ]);
    expect(c).toMatchObject([{ messageId: 1, text: "done", buttons: [] }]);
  });
});

describe("what a person in the stand-in sends the bot", () => {
  it("a command is a message with a bot_command entity, from the chat's user in a private chat", () => {
    const u = messageUpdate(4_100_000_001, 7, "/link K7M2Q-9XW4T", "en", 1_800_000_000_000);
    expect(u.message).toMatchObject({ message_id: 7, text: "/link K7M2Q-9XW4T", chat: { id: 4_100_000_001, type: "private" }, from: { id: 4_100_000_001, language_code: "en" } });
    expect(u.message.entities).toEqual([{ type: "bot_command", offset: 0, length: 5 }]);
    expect(messageUpdate(-42, 8, "hello", "ru", 1_800_000_000_000).message).not.toHaveProperty("entities");
  });

  it("a tap is a callback query on the message, and update ids only grow", () => {
    const a = callbackUpdate(-4_100_000_002, 3, "menu", "st:lang", "ru", 1_800_000_000_000);
    const b = callbackUpdate(-4_100_000_002, 3, "menu", "st:lang", "ru", 1_800_000_000_000);
    expect(a.callback_query).toMatchObject({ data: "st:lang", message: { message_id: 3, chat: { id: -4_100_000_002, type: "group" } } });
    expect(b.update_id).toBeGreaterThan(a.update_id);
  });
});
