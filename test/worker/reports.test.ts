/**
 * /report as a chat uses it: a menu edited in place (restaurant, report,
 * period), "requesting…" at once, then the same message edited into the
 * report — asked of a real agent link (a WebSocket test agent connected to
 * the restaurant object) and read back from the fake Bot API.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RestaurantObject } from "../../src/objects/restaurant-object";
import type { Report } from "../../src/protocol/report";
import { escapeHtml } from "../../src/domain/format/html";
import { phrase } from "../../src/domain/reports/i18n";
import { reportData } from "../../src/telegram/bot/report-menu";
import { BALANCE, DELETIONS, dishes, hourly } from "../unit/reports/samples";
import { admin, agentPost, heartbeatBody, linkChat, openAgentLink, provision, type Provisioned } from "./helpers";
import { callbackAnswers, command, fake, linkCode, newChat, sentTo, tap, type TgChat, type TgUser, user } from "./bot-support";
import type { Call } from "../fake-telegram/server";

type Button = { text: string; callback_data: string };

const keyboardOf = (c: Call): Button[] => {
  const markup = c.payload.reply_markup as { inline_keyboard: Button[][] } | string | undefined;
  const k = typeof markup === "string" ? (JSON.parse(markup) as { inline_keyboard: Button[][] }) : markup;
  return k?.inline_keyboard.flat() ?? [];
};

/** Everything the bot showed in the chat, accepted calls only, in order. */
async function shown(chatId: number): Promise<Call[]> {
  return (await sentTo(chatId)).filter((c) => c.status === 200);
}

async function linkedChat(p: Provisioned | { accountId: string }, type: TgChat["type"] = "private") {
  const chat = newChat(type);
  const boss = user(type === "private" ? chat.id : 7000 + Math.floor(Math.random() * 1000));
  if (type !== "private") await fake.chatAdmins(chat.id, [boss.id]);
  const to = "restaurantId" in p ? { restaurantId: p.restaurantId } : { accountId: p.accountId };
  await command(chat, boss, `/link ${await linkCode(to)}`);
  return { chat, boss };
}

/** Sends /report and returns the menu message (its id is what every tap edits). */
async function openMenu(chat: TgChat, from: TgUser) {
  await command(chat, from, "/report");
  const menu = (await shown(chat.id)).at(-1)!;
  expect(menu.method).toBe("sendMessage");
  return { id: menu.messageId!, text: String(menu.payload.text), buttons: keyboardOf(menu) };
}

const REQUESTING = (["ru", "uk", "en"] as const).map((lang) => escapeHtml(phrase("requesting", lang)));

/**
 * Taps a button of the menu message. The webhook answers at once; a report
 * is finished after that answer, so this resolves once the menu message no
 * longer reads "requesting…" (the report, or why there is none, is in).
 */
async function press(chat: TgChat, from: TgUser, menuId: number, data: string) {
  const t = tap(chat, from, data, menuId);
  const res = await t.send();
  expect(res.status).toBe(200);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const last = edits((await fake.calls(chat.id)).calls, menuId).at(-1);
    if (!last || !REQUESTING.some((r) => String(last.payload.text).includes(r)) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return t;
}

const button = (buttons: Button[], label: RegExp | string) => {
  const b = buttons.find((x) => (typeof label === "string" ? x.text === label : label.test(x.text)));
  if (!b) throw new Error(`no button ${label} among ${buttons.map((x) => x.text).join(", ")}`);
  return b.callback_data;
};

/** The agent's side: the next request it receives, answered with `report` (its period kept as asked when given). */
async function answerNext(link: Awaited<ReturnType<typeof openAgentLink>>, report: Report) {
  const frame = await link.next();
  expect(frame.type).toBe("report.request");
  link.ws.send(JSON.stringify({ type: "report.result", requestId: frame.requestId, report }));
  return frame as { requestId: string; report: string; period: unknown };
}

/** The chat's accepted calls once `done` holds for them (follow-ups come through the chat's delivery queue). */
async function shownWhen(chatId: number, done: (calls: Call[]) => boolean, waitMs = 20_000): Promise<Call[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const calls = (await fake.calls(chatId)).calls.filter((c) => c.status === 200);
    if (done(calls) || Date.now() > deadline) return calls;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const edits = (calls: Call[], messageId: number) => calls.filter((c) => c.method === "editMessageText" && Number(c.payload.message_id) === messageId);

describe("/report: the menu", () => {
  it("is in the command menu's help and walks report → period in one message edited in place", async () => {
    const p = await provision({ name: "Бистро «Центр»" });
    const { chat, boss } = await linkedChat(p);
    await command(chat, boss, "/help");
    expect(String((await shown(chat.id)).at(-1)!.payload.text)).toContain("/report");

    const menu = await openMenu(chat, boss);
    expect(menu.text).toContain("Выберите отчёт");
    expect(menu.text).toContain("Бистро «Центр»");
    expect(menu.buttons.map((b) => b.text)).toEqual(
      expect.arrayContaining(["Балансовый отчёт", "Расход блюд", "Продажи по часам", "Скидки", "Удаления", "Оплаты", "Продажи по сотрудникам"]),
    );
    // One restaurant: no restaurant step, so no "back" to it.
    expect(menu.buttons.map((b) => b.text)).not.toContain("‹ Назад");

    await press(chat, boss, menu.id, button(menu.buttons, "Балансовый отчёт"));
    const periods = edits(await shown(chat.id), menu.id).at(-1)!;
    expect(String(periods.payload.text)).toContain("За какой период?");
    expect(keyboardOf(periods).map((b) => b.text)).toEqual(
      expect.arrayContaining(["Текущая смена", "Последняя закрытая смена", "Сегодня", "Вчера", "За дату…"]),
    );

    await press(chat, boss, menu.id, button(keyboardOf(periods), "За дату…"));
    const dates = edits(await shown(chat.id), menu.id).at(-1)!;
    expect(String(dates.payload.text)).toContain("Выберите дату");
    expect(keyboardOf(dates).filter((b) => /^\d{2}\.\d{2}\.\d{4}$/.test(b.text))).toHaveLength(14);
  });

  it("answers Telegram before the till does, so a slow till never holds the chat's next taps", async () => {
    const p = await provision();
    const { chat, boss } = await linkedChat(p);
    const link = await openAgentLink(p);
    const menu = await openMenu(chat, boss);

    // The webhook's answer comes while the till has not answered yet.
    const t = tap(chat, boss, reportData({ kind: "run", restaurantId: p.restaurantId, report: "balance", period: "current" }), menu.id);
    expect((await t.send()).status).toBe(200);
    const frame = await link.next();
    expect(String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text)).toContain("Запрашиваю у кассы");
    // Another tap in the chat meanwhile is handled at once.
    await command(chat, boss, "/status");
    expect(String((await shown(chat.id)).at(-1)!.payload.text)).toContain("Бистро");

    link.ws.send(JSON.stringify({ type: "report.result", requestId: frame.requestId, report: BALANCE }));
    await expect.poll(async () => String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text), { timeout: 10_000 }).toContain("<pre>");
    link.ws.close();
  });

  it("asks the till, shows 'requesting…' at once, then edits the same message into the report table", async () => {
    const p = await provision({ name: "Бистро «Центр»" });
    const { chat, boss } = await linkedChat(p);
    const link = await openAgentLink(p);
    const menu = await openMenu(chat, boss);

    const pressing = press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "balance", period: "current" }));
    const frame = await link.next();
    expect(frame).toMatchObject({ type: "report.request", report: "balance", period: { shift: "current" } });
    // While the till works, the chat already reads that it is being asked.
    const waiting = edits(await shown(chat.id), menu.id).at(-1)!;
    expect(String(waiting.payload.text)).toContain("Запрашиваю у кассы");
    expect(String(waiting.payload.text)).toContain("Текущая смена");

    link.ws.send(JSON.stringify({ type: "report.result", requestId: frame.requestId, report: BALANCE }));
    await pressing;
    const final = edits(await shown(chat.id), menu.id).at(-1)!;
    const text = String(final.payload.text);
    expect(text).toContain("📊 <b>Балансовый отчёт</b>");
    expect(text).toContain("🏠 Бистро «Центр»");
    expect(text).toContain("<pre>");
    expect(text.replace(/[\u00A0\u202F]/g, " ")).toMatch(/Итого +96 +187 540,50/);
    // The report replaced the menu: no buttons left on it, and nothing else was sent.
    expect(keyboardOf(final)).toEqual([]);
    expect((await shown(chat.id)).at(-1)).toEqual(final);
    link.ws.close();
  });

  it("speaks the chat's language: an English chat reads the menu, the wait and the report in English", async () => {
    const p = await provision({ name: "Бистро «Центр»" });
    const { telegramChatId } = await linkChat({ restaurantId: p.restaurantId }, { settings: { language: "en" }, type: "private" });
    const chat: TgChat = { id: telegramChatId, type: "private", first_name: "Ann" };
    const boss = user(telegramChatId, "en");
    const link = await openAgentLink(p);
    const menu = await openMenu(chat, boss);
    expect(menu.text).toContain("Choose the report");
    expect(menu.buttons.map((b) => b.text)).toContain("Sales by hour");
    const pressing = press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "balance", period: "yesterday" }));
    const frame = await link.next();
    expect(String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text)).toContain("Asking the till…");
    link.ws.send(JSON.stringify({ type: "report.result", requestId: frame.requestId, report: BALANCE }));
    await pressing;
    const text = String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text).replace(/[\u00A0\u202F]/g, " ");
    expect(text).toContain("📊 <b>Balance report</b>");
    expect(text).toMatch(/Bank card +65 +136,340\.50/);
    link.ws.close();
  });

  it("lets an owner chat with several restaurants pick one, and asks only that restaurant's till", async () => {
    const account = (await admin("POST", "/accounts", { name: "Сеть «Вкусно»" })).body.id as string;
    const north = await provision({ accountId: account, name: "А: Север" });
    const south = await provision({ accountId: account, name: "Б: Юг", timezone: "Europe/Kyiv" });
    const { chat, boss } = await linkedChat({ accountId: account });
    const northLink = await openAgentLink(north);
    const southLink = await openAgentLink(south);

    const menu = await openMenu(chat, boss);
    expect(menu.text).toContain("выберите ресторан");
    expect(menu.buttons.map((b) => b.text)).toEqual(["А: Север", "Б: Юг", "✖ Закрыть"]);

    await press(chat, boss, menu.id, button(menu.buttons, "Б: Юг"));
    const reports = edits(await shown(chat.id), menu.id).at(-1)!;
    expect(String(reports.payload.text)).toContain("Б: Юг");
    expect(keyboardOf(reports).map((b) => b.text)).toContain("‹ Назад");

    await press(chat, boss, menu.id, button(keyboardOf(reports), "Удаления"));
    const periods = edits(await shown(chat.id), menu.id).at(-1)!;
    const pressing = press(chat, boss, menu.id, button(keyboardOf(periods), "Сегодня"));
    const frame = await answerNext(southLink, DELETIONS);
    // "Today" is the restaurant's own day, midnight to midnight in its zone.
    const period = frame.period as { from: string; to: string };
    expect(Date.parse(period.to) - Date.parse(period.from)).toBeGreaterThanOrEqual(23 * 3600_000);
    const kyivMidnight = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Kyiv", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(period.from));
    expect(kyivMidnight).toBe("00:00");
    await pressing;
    expect(String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text)).toContain("Удаления");

    // The other restaurant's till was never asked.
    northLink.ws.send('{"type":"ping"}');
    expect(await northLink.next()).toEqual({ type: "pong" });
    northLink.ws.close();
    southLink.ws.close();
  });

  it("offers only the reports switched on in /settings", async () => {
    const p = await provision();
    const { chat, boss } = await linkedChat(p);
    await command(chat, boss, "/settings");
    const main = (await shown(chat.id)).at(-1)!;
    const settingsId = main.messageId!;
    const t = tap(chat, boss, button(keyboardOf(main), "📊 Отчёты"), settingsId);
    await t.send();
    const screen = edits(await shown(chat.id), settingsId).at(-1)!;
    expect(String(screen.payload.text)).toContain("Какие отчёты можно запросить");
    await tap(chat, boss, button(keyboardOf(screen), /Продажи по сотрудникам/), settingsId).send();
    const after = edits(await shown(chat.id), settingsId).at(-1)!;
    expect(keyboardOf(after).map((b) => b.text)).toContain("▫️ Продажи по сотрудникам");

    const menu = await openMenu(chat, boss);
    expect(menu.buttons.map((b) => b.text)).not.toContain("Продажи по сотрудникам");
    expect(menu.buttons.map((b) => b.text)).toContain("Балансовый отчёт");
  });
});

describe("/report: when the till cannot answer", () => {
  it("says at once that the till is offline, and since when", async () => {
    const p = await provision({ name: "Бистро «Тест»" });
    expect((await agentPost(p, "/heartbeat", heartbeatBody())).status).toBe(200);
    const { chat, boss } = await linkedChat(p);
    const menu = await openMenu(chat, boss);
    await press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "balance", period: "today" }));
    const answer = edits(await shown(chat.id), menu.id).at(-1)!;
    const text = String(answer.payload.text);
    expect(text).toContain("Касса ресторана не на связи");
    expect(text).toMatch(/Последний раз была на связи \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);
    expect(text).toContain("Балансовый отчёт");
    expect(keyboardOf(answer).map((b) => b.text)).toEqual(["🔁 Ещё раз", "‹ Назад"]);
  });

  it("says so when the till has never connected", async () => {
    const p = await provision();
    const { chat, boss } = await linkedChat(p);
    const menu = await openMenu(chat, boss);
    await press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "dishes", period: "last" }));
    expect(String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text)).toContain("ещё ни разу не выходила на связь");
  });

  it("says the till went offline when its link closes while the chat waits, without waiting out the timeout", async () => {
    const p = await provision();
    const { chat, boss } = await linkedChat(p);
    const link = await openAgentLink(p);
    const menu = await openMenu(chat, boss);
    const pressing = press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "payments", period: "today" }));
    await link.next();
    link.ws.close(1001, "going away");
    await pressing;
    const text = String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text);
    expect(text).toContain("Касса ресторана не на связи");
    expect(text).toMatch(/Последний раз была на связи \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);
  });

  it("gives up with a clear message when the till does not answer in time", async () => {
    const p = await provision();
    const { chat, boss } = await linkedChat(p);
    const link = await openAgentLink(p);
    const menu = await openMenu(chat, boss);
    // The test agent receives the request and stays silent (REPORT_TIMEOUT_MS is 1.5 s here).
    await press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "hourly", period: "yesterday" }));
    expect(await link.next()).toMatchObject({ type: "report.request", report: "hourly" });
    const text = String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text);
    expect(text).toMatch(/Касса не ответила за \d+ с/);
    link.ws.close();
  });

  it("passes on the till's own refusal", async () => {
    const p = await provision();
    const { chat, boss } = await linkedChat(p);
    const link = await openAgentLink(p);
    const menu = await openMenu(chat, boss);
    const pressing = press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "balance", period: "current" }));
    const frame = await link.next();
    link.ws.send(JSON.stringify({ type: "report.error", requestId: frame.requestId, message: "Смена не открыта <b>" }));
    await pressing;
    expect(String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text)).toContain("Касса не смогла сформировать отчёт: Смена не открыта &lt;b&gt;");
    link.ws.close();
  });
});

describe("/report: sharing and authorisation", () => {
  it("serves two chats asking the same report at the same time with one request to the till", async () => {
    const p = await provision();
    const a = await linkedChat(p);
    const b = await linkedChat(p, "group");
    const link = await openAgentLink(p);
    const menuA = await openMenu(a.chat, a.boss);
    const menuB = await openMenu(b.chat, b.boss);
    const run = reportData({ kind: "run", restaurantId: p.restaurantId, report: "balance", period: "current" });

    const pressA = press(a.chat, a.boss, menuA.id, run);
    const frame = await link.next();
    const pressB = press(b.chat, b.boss, menuB.id, run);
    // B's request joins A's on its way to the till; once both wait on it, the till answers once.
    const callers = () =>
      runInDurableObject(env.RESTAURANT.getByName(p.restaurantId), (o: RestaurantObject) => o["reports"].inFlight().map((r) => r.callers));
    for (let i = 0; i < 250 && (await callers()).join() !== "2"; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await callers()).toEqual([2]);
    link.ws.send(JSON.stringify({ type: "report.result", requestId: frame.requestId, report: BALANCE }));
    await Promise.all([pressA, pressB]);

    for (const [chat, menu] of [[a.chat, menuA], [b.chat, menuB]] as const) {
      expect(String(edits(await shown(chat.id), menu.id).at(-1)!.payload.text)).toContain("<pre>");
    }
    link.ws.send('{"type":"ping"}');
    expect(await link.next()).toEqual({ type: "pong" });
    link.ws.close();
  });

  it("refuses a chat asking about a restaurant it is not linked to, and never asks that till", async () => {
    const mine = await provision({ name: "Мой ресторан" });
    const theirs = await provision({ name: "Чужой ресторан" });
    const { chat, boss } = await linkedChat(mine);
    const link = await openAgentLink(theirs);
    const menu = await openMenu(chat, boss);
    const before = (await shown(chat.id)).length;

    // A forged button: the payload names the other restaurant.
    const forged = await press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: theirs.restaurantId, report: "balance", period: "current" }));
    const [refusal] = await callbackAnswers(forged.id);
    expect(refusal!.payload).toMatchObject({ text: "Этот отчёт недоступен в этом чате.", show_alert: true });
    const peek = await press(chat, boss, menu.id, reportData({ kind: "report", restaurantId: theirs.restaurantId, report: "balance" }));
    expect((await callbackAnswers(peek.id))[0]!.payload.show_alert).toBe(true);

    const after = await shown(chat.id);
    expect(after).toHaveLength(before);
    expect(JSON.stringify(after)).not.toContain("Чужой ресторан");
    link.ws.send('{"type":"ping"}');
    expect(await link.next()).toEqual({ type: "pong" });
    link.ws.close();
  });

  it("refuses a report switched off in the chat's settings, whatever the button says", async () => {
    const p = await provision();
    const { telegramChatId } = await linkChat({ restaurantId: p.restaurantId }, { settings: { reports: ["balance"] }, type: "private" });
    const chat: TgChat = { id: telegramChatId, type: "private", first_name: "Анна" };
    const boss = user(telegramChatId);
    const link = await openAgentLink(p);
    const t = await press(chat, boss, 1, reportData({ kind: "run", restaurantId: p.restaurantId, report: "deletions", period: "current" }));
    expect((await callbackAnswers(t.id))[0]!.payload).toMatchObject({ show_alert: true });
    link.ws.send('{"type":"ping"}');
    expect(await link.next()).toEqual({ type: "pong" });
    link.ws.close();
  });

  it("treats a chat that is not linked at all as outdated, never naming a restaurant", async () => {
    const p = await provision({ name: "Секретный ресторан" });
    const chat = newChat("private");
    const t = await press(chat, user(chat.id), 1, reportData({ kind: "run", restaurantId: p.restaurantId, report: "balance", period: "current" }));
    expect(String((await callbackAnswers(t.id))[0]!.payload.text)).toContain("меню устарело");
    await command(chat, user(chat.id), "/report");
    const reply = String((await shown(chat.id)).at(-1)!.payload.text);
    expect(reply).not.toContain("Секретный ресторан");
  });
});

describe("/report: long reports and the chart", () => {
  it("continues a long report in further messages, cut between rows, every row exactly once", { timeout: 30_000 }, async () => {
    const p = await provision();
    const { chat, boss } = await linkedChat(p);
    const link = await openAgentLink(p);
    const menu = await openMenu(chat, boss);
    const report = dishes(160);
    const pressing = press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "dishes", period: "last" }));
    await answerNext(link, report);
    await pressing;

    // The first part is the menu message edited; it says how many parts there are.
    const total = (calls: Call[]) => Number(/часть 1 из (\d+)/.exec(String(edits(calls, menu.id).at(-1)?.payload.text))?.[1] ?? Infinity);
    const calls = await shownWhen(chat.id, (c) => c.filter((x) => x.method === "sendMessage" && x.messageId! > menu.id).length >= total(c) - 1);
    const first = edits(calls, menu.id).at(-1)!;
    const rest = calls.slice(calls.indexOf(first) + 1).filter((c) => c.method === "sendMessage");
    const parts = [first, ...rest].map((c) => String(c.payload.text));
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((part, i) => {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part).toContain(`часть ${i + 1} из ${parts.length}`);
      expect(part.match(/<pre>/g)?.length).toBe(part.match(/<\/pre>/g)?.length);
    });
    const all = parts.join("\n");
    for (let n = 1; n <= 160; n++) expect(all.split(`&lt;№${n}&gt;`).length - 1).toBe(1);
    link.ws.close();
  });

  it("sends the hourly report's chart as a PNG photo after the table", { timeout: 30_000 }, async () => {
    const p = await provision({ name: "Бистро «Центр»" });
    const { chat, boss } = await linkedChat(p);
    const link = await openAgentLink(p);
    const menu = await openMenu(chat, boss);
    const pressing = press(chat, boss, menu.id, reportData({ kind: "run", restaurantId: p.restaurantId, report: "hourly", period: "last" }));
    await answerNext(link, hourly());
    await pressing;

    await shownWhen(chat.id, (c) => c.some((x) => x.method === "sendPhoto"));
    const { calls } = await fake.calls(chat.id);
    const table = calls.findLastIndex((c) => c.method === "editMessageText" && String(c.payload.text).includes("<pre>"));
    const photo = calls.findLastIndex((c) => c.method === "sendPhoto" && c.status === 200);
    expect(table).toBeGreaterThanOrEqual(0);
    expect(photo).toBeGreaterThan(table);
    const sent = calls[photo]!.payload;
    expect(String(sent.caption)).toContain("выручка по часам");
    expect(String(sent.caption)).toContain("Пик: ");
    const file = sent.photo as { type: string; size: number; head: string };
    expect(file.type).toBe("image/png");
    // PNG signature, then the IHDR chunk.
    expect(file.head.slice(0, 16)).toBe("89504e470d0a1a0a");
    expect(file.head.slice(24, 32)).toBe("49484452");
    const width = parseInt(file.head.slice(32, 40), 16);
    const height = parseInt(file.head.slice(40, 48), 16);
    expect(width).toBeGreaterThanOrEqual(320);
    expect(height).toBeGreaterThanOrEqual(200);
    expect(file.size).toBeGreaterThan(500);
    expect(file.size).toBeLessThan(200_000);
    link.ws.close();
  });
});
