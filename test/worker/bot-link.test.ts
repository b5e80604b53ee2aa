import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { linkCodes } from "../../src/db/schema";
import { provision } from "./helpers";
import { chatRow, command, fake, lastText, linkCode, linksOfChat, newChat, postUpdate, message, sentTo, tap, user, callbackAnswers } from "./bot-support";

describe("the webhook", () => {
  it("refuses updates without the right secret token, and changes nothing", async () => {
    const chat = newChat("private");
    const update = message(chat, user(chat.id), "/help");
    for (const secret of [null, "", "wrong-secret", "test-webhook-secre", "test-webhook-secret-"]) {
      const res = await postUpdate({ ...update }, secret);
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.code).toBe("unauthorized");
    }
    expect(await sentTo(chat.id)).toEqual([]);
  });

  it("handles an update Telegram re-sends only once", async () => {
    const chat = newChat("private");
    const update = { update_id: 900_000_000 + Math.floor(Math.random() * 1_000_000), ...message(chat, user(chat.id), "/help") };
    expect((await postUpdate(update)).status).toBe(200);
    const again = await postUpdate(update);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(await sentTo(chat.id)).toHaveLength(1);
  });

  it("answers 200 for an update it cannot make sense of, so Telegram does not retry it forever", async () => {
    const res = await postUpdate({ edited_channel_post: { nonsense: true } });
    expect(res.status).toBe(200);
  });
});

describe("an unlinked chat", () => {
  it("gets help, in the writer's language, and never any restaurant's data", async () => {
    const p = await provision({ name: "Секретный ресторан" });
    const chat = newChat("private");
    await command(chat, user(chat.id, "en"), "/start");
    expect(await lastText(chat.id)).toContain("/link");
    expect(await lastText(chat.id)).toContain("not linked");
    for (const cmd of ["/status", "/settings", "/unlink"]) {
      await command(chat, user(chat.id, "en"), cmd);
      const text = await lastText(chat.id);
      expect(text).toContain("not linked");
      expect(text).not.toContain("Секретный");
    }
    expect(p.restaurantId).toBeTruthy();
  });

  it("is told in Russian when the writer's language is not one the bot speaks", async () => {
    const chat = newChat("private");
    await command(chat, user(chat.id, "de"), "/help");
    expect(await lastText(chat.id)).toContain("подключить чат");
  });
});

describe("/link", () => {
  it("links a private chat to the restaurant of a valid code, once", async () => {
    const p = await provision({ name: "Бистро <Центр> & Co" });
    const code = await linkCode({ restaurantId: p.restaurantId });
    const chat = newChat("private");
    await command(chat, user(chat.id), `/link ${code.toLowerCase()}`);
    const text = await lastText(chat.id);
    expect(text).toContain("Бистро &lt;Центр&gt; &amp; Co");
    const links = await linksOfChat(chat.id);
    expect(links.map((l) => [l.restaurantId, l.accountId])).toEqual([[p.restaurantId, null]]);
    const row = await chatRow(chat.id);
    expect(row).toMatchObject({ type: "private", status: "active" });
    const [used] = await database(env.DB).select().from(linkCodes).where(eq(linkCodes.restaurantId, p.restaurantId));
    expect(used!.usedAt).not.toBeNull();
    expect(used!.usedByChatId).toBe(row!.id);
  });

  it("refuses a code that was already used, even in another chat", async () => {
    const p = await provision();
    const code = await linkCode({ restaurantId: p.restaurantId });
    const first = newChat("private");
    await command(first, user(first.id), `/link ${code}`);
    const second = newChat("private");
    await command(second, user(second.id), `/link ${code}`);
    expect(await lastText(second.id)).toContain("уже использован");
    expect(await chatRow(second.id)).toBeNull();
  });

  it("refuses an expired code and an unknown one, creating nothing", async () => {
    const p = await provision();
    await linkCode({ restaurantId: p.restaurantId });
    const expired = await linkCode({ restaurantId: p.restaurantId });
    await database(env.DB).update(linkCodes).set({ expiresAt: Date.now() - 1000 }).where(eq(linkCodes.restaurantId, p.restaurantId));
    const chat = newChat("private");
    await command(chat, user(chat.id, "en"), `/link ${expired}`);
    expect(await lastText(chat.id)).toContain("expired");
    await command(chat, user(chat.id, "en"), "/link ZZZZZ-99999");
    expect(await lastText(chat.id)).toContain("no such code");
    await command(chat, user(chat.id, "en"), "/link");
    expect(await lastText(chat.id)).toContain("/link <code>ABCDE-12345</code>");
    expect(await chatRow(chat.id)).toBeNull();
  });

  it("in a group, lets only an administrator link; a member's attempt leaves the code usable", async () => {
    const p = await provision({ name: "Кафе на углу" });
    const code = await linkCode({ restaurantId: p.restaurantId });
    const chat = newChat("group");
    const boss = user(7001);
    const waiter = user(7002);
    await fake.chatAdmins(chat.id, [boss.id]);

    await command(chat, waiter, `/link ${code}`);
    expect(await lastText(chat.id)).toContain("только администраторы");
    expect(await chatRow(chat.id)).toBeNull();

    await command(chat, boss, `/link ${code}`);
    expect(await lastText(chat.id)).toContain("Кафе на углу");
    expect(await linksOfChat(chat.id)).toHaveLength(1);
    expect(await chatRow(chat.id)).toMatchObject({ type: "group", title: "Смена бара" });
  });

  it("links a chat to several restaurants, and an owner's code to the whole account", async () => {
    const a = await provision({ name: "Первый" });
    const b = await provision({ name: "Второй", accountId: a.accountId });
    const other = await provision({ name: "Чужой" });
    const chat = newChat("supergroup");
    const boss = user(7101);
    await fake.chatAdmins(chat.id, [boss.id]);
    await command(chat, boss, `/link ${await linkCode({ restaurantId: other.restaurantId })}`);
    await command(chat, boss, `/link ${await linkCode({ accountId: a.accountId })}`);
    const text = await lastText(chat.id);
    expect(text).toContain("Первый");
    expect(text).toContain("Второй");
    expect(text).not.toContain("Чужой");
    const links = await linksOfChat(chat.id);
    expect(links.map((l) => l.restaurantId ?? l.accountId).sort()).toEqual([other.restaurantId, a.accountId].sort());
    expect(b.accountId).toBe(a.accountId);
  });
});

describe("/unlink", () => {
  it("removes the only link at once, after which the chat is unlinked", async () => {
    const p = await provision({ name: "Пиццерия" });
    const chat = newChat("private");
    await command(chat, user(chat.id), `/link ${await linkCode({ restaurantId: p.restaurantId })}`);
    await command(chat, user(chat.id), "/unlink");
    expect(await lastText(chat.id)).toContain("отключён от <b>Пиццерия</b>");
    expect(await linksOfChat(chat.id)).toEqual([]);
    await command(chat, user(chat.id), "/status");
    expect(await lastText(chat.id)).not.toContain("Пиццерия");
  });

  it("asks which link to remove when there are several, and removes only the chosen one", async () => {
    const a = await provision({ name: "Альфа" });
    const b = await provision({ name: "Бета" });
    const chat = newChat("private");
    const me = user(chat.id);
    await command(chat, me, `/link ${await linkCode({ restaurantId: a.restaurantId })}`);
    await command(chat, me, `/link ${await linkCode({ restaurantId: b.restaurantId })}`);
    await command(chat, me, "/unlink");
    const menu = (await sentTo(chat.id)).at(-1)!;
    const buttons = (menu.payload.reply_markup as any).inline_keyboard.flat() as Array<{ text: string; callback_data: string }>;
    expect(buttons.map((x) => x.text)).toEqual(["Альфа", "Бета", "Отмена"]);

    // A forged link id (another chat's, or made up) changes nothing.
    const forged = tap(chat, me, "ul:lnk_doesnotexist0000");
    await forged.send();
    expect(await linksOfChat(chat.id)).toHaveLength(2);

    await tap(chat, me, buttons.find((x) => x.text === "Бета")!.callback_data).send();
    const left = await linksOfChat(chat.id);
    expect(left.map((l) => l.restaurantId)).toEqual([a.restaurantId]);
    expect(await lastText(chat.id)).toContain("Бета");
  });

  it("is refused to a group member who is not an administrator", async () => {
    const p = await provision();
    const chat = newChat("group");
    const boss = user(7201);
    await fake.chatAdmins(chat.id, [boss.id]);
    await command(chat, boss, `/link ${await linkCode({ restaurantId: p.restaurantId })}`);
    await command(chat, user(7202), "/unlink");
    expect(await lastText(chat.id)).toContain("только администраторы");
    expect(await linksOfChat(chat.id)).toHaveLength(1);
  });
});

describe("a tap on a button the bot does not know", () => {
  it("is answered and changes nothing", async () => {
    const chat = newChat("private");
    const t = tap(chat, user(chat.id), "zz:whatever");
    await t.send();
    expect(await callbackAnswers(t.id)).toHaveLength(1);
  });
});

describe("button payloads", () => {
  it("round-trip, fit Telegram's 64 bytes, and any link id the chat may hold is accepted", async () => {
    const { parseUnlinkData, unlinkData, parseSettingsData, settingsData } = await import("../../src/telegram/bot/callback-data");
    for (const linkId of ["lnk_7QXK2M9PZT4WVR8N", "lnk_cht_test_m3x1", "lnk_" + "a".repeat(57)]) {
      const data = unlinkData({ kind: "unlink", linkId });
      expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(64);
      expect(parseUnlinkData(data)).toEqual({ kind: "unlink", linkId });
    }
    expect(parseUnlinkData("ul:lnk_" + "a".repeat(58))).toBeNull();
    expect(parseUnlinkData("ul:rst_1")).toBeNull();
    const toggle = settingsData({ kind: "toggle", type: "loyalty_discount.removed" });
    expect(new TextEncoder().encode(toggle).length).toBeLessThanOrEqual(64);
    expect(parseSettingsData(toggle)).toEqual({ kind: "toggle", type: "loyalty_discount.removed" });
  });
});
