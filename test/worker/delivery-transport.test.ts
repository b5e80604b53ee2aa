/**
 * The Bot API transport: real HTTP to TELEGRAM_API_ROOT (here the fake server)
 * and the local stand-in used when no token is set.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { callBotApi, telegramClientOptions } from "../../src/telegram/transport";
import { FakeTelegramControl } from "../fake-telegram/client";
import { admin } from "./helpers";

const fake = new FakeTelegramControl(env.TELEGRAM_API_ROOT!);
const standinEnv = () => ({ ...env, TELEGRAM_BOT_TOKEN: undefined });

describe("callBotApi against the Bot API", () => {
  it("sends a message and returns Telegram's answer", async () => {
    const chat = 700_001;
    const r = await callBotApi<{ message_id: number }>(env, "sendMessage", { chat_id: chat, text: "<b>hi</b>", parse_mode: "HTML" });
    expect(r).toMatchObject({ ok: true, result: { message_id: 1 } });
    const sent = await fake.sent(chat);
    expect(sent.map((c) => c.payload.text)).toEqual(["<b>hi</b>"]);
  });

  it("returns Telegram's error with its parameters", async () => {
    const chat = 700_002;
    await fake.faults(chat, [{ kind: "migrate", to: -1_000_000_700_002 }]);
    const r = await callBotApi(env, "sendMessage", { chat_id: chat, text: "x" });
    expect(r).toMatchObject({ ok: false, error_code: 400, parameters: { migrate_to_chat_id: -1_000_000_700_002 } });
  });

  it("reports a dropped connection as a network error", async () => {
    const chat = 700_003;
    await fake.faults(chat, [{ kind: "drop" }]);
    const r = await callBotApi(env, "sendMessage", { chat_id: chat, text: "x" });
    expect(r).toMatchObject({ ok: false, error_code: 0, network: true });
  });

  it("uploads a photo as multipart", async () => {
    const chat = 700_004;
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const r = await callBotApi(env, "sendPhoto", { chat_id: chat, caption: "chart" }, { photo: { bytes, filename: "chart.png", contentType: "image/png" } });
    expect(r.ok).toBe(true);
    const [call] = await fake.sent(chat);
    expect(call!.payload).toMatchObject({ caption: "chart", photo: { file: "chart.png", size: 4 } });
  });
});

describe("the local stand-in (no TELEGRAM_BOT_TOKEN)", () => {
  it("answers like Telegram and records what the bot would have sent", async () => {
    const e = standinEnv();
    const chat = -4_000_777;
    const a = await callBotApi<{ message_id: number }>(e, "sendMessage", { chat_id: chat, text: "первое" });
    const b = await callBotApi<{ message_id: number }>(e, "sendMessage", { chat_id: chat, text: "второе", reply_markup: { inline_keyboard: [] } });
    expect(a.ok && b.ok && [a.result.message_id, b.result.message_id]).toEqual([1, 2]);
    expect(await callBotApi(e, "getMe", {})).toMatchObject({ ok: true, result: { is_bot: true } });
    const res = await admin("GET", `/standin/messages?telegramChatId=${chat}`);
    expect(res.status).toBe(200);
    expect(res.body.messages.map((m: any) => [m.method, m.messageId, m.payload.text])).toEqual([
      ["sendMessage", 1, "первое"],
      ["sendMessage", 2, "второе"],
    ]);
    const later = await admin("GET", `/standin/messages?telegramChatId=${chat}&after=${res.body.messages[0].id}`);
    expect(later.body.messages).toHaveLength(1);
  });

  it("gives grammY a client that routes to the stand-in", async () => {
    const opts = telegramClientOptions(standinEnv());
    expect(opts.fetch).toBeTypeOf("function");
    const res = await opts.fetch!(`${opts.apiRoot}/bot1:x/getMe`, { method: "POST" });
    expect(await res.json()).toMatchObject({ ok: true });
    expect(telegramClientOptions(env)).toEqual({ apiRoot: env.TELEGRAM_API_ROOT });
  });

  it("needs the admin token to list", async () => {
    expect((await admin("GET", "/standin/messages", undefined, "wrong")).status).toBe(401);
  });
});
