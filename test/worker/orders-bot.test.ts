import { env, runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { callbackAnswers, fake, sentTo, tap, user, type TgChat } from "./bot-support";
import { linkChat, settle } from "./helpers";
import { api, orderBody, ordersWorld, tickOrder, type OrdersWorld } from "./orders-support";

let w: OrdersWorld;
let chat: TgChat;
let chatId: string;
beforeAll(async () => {
  w = await ordersWorld();
  const linked = await linkChat({ restaurantId: w.restaurantId }, { settings: { language: "uk" } as any });
  chat = { id: linked.telegramChatId, type: "group", title: "Зміна" };
  chatId = linked.chatId;
});

/** Creates a problem and delivers its alert to the linked chat through the normal path; returns the sent message. */
async function problemAlert(description: string) {
  const { o, problemId } = await newProblem(w, "courier", description);
  for (let i = 0; i < 150; i++) {
    await runDurableObjectAlarm(env.CHAT.getByName(chatId));
    const sent = (await fake.sent(chat.id)).find((c) => c.method === "sendMessage" && JSON.stringify(c.payload).includes(problemId));
    if (sent?.messageId) return { orderId: o.id as string, problemId, message: sent };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the problem's alert never reached the chat");
}

/** An order with one problem, its announcement handed to the restaurant's chats. */
async function newProblem(world: OrdersWorld, culprit: string, description: string) {
  const o = (await api(world, "POST", "/orders", orderBody(world))).body;
  const p = await api(world, "POST", `/orders/${o.id}/problems`, { culprit, description, actor: "Оля" });
  const problemId = p.body.problems[0].id as string;
  await tickOrder(o.id, Date.now());
  await settle(world.restaurantId);
  return { o, problemId };
}

const buttonsOf = (payload: any): string[] => (payload.reply_markup?.inline_keyboard ?? []).flat().map((b: any) => b.callback_data);

async function lastEdit() {
  const calls = (await sentTo(chat.id)).filter((c) => c.method === "editMessageText" && c.status === 200);
  return calls.at(-1)!;
}

describe("problem buttons in Telegram", () => {
  it("a new problem is announced with take / resolved / reject buttons", async () => {
    const { problemId, message } = await problemAlert("Кур'єр не виходить на зв'язок");
    expect(String(message.payload.text)).toContain("Кур'єр не виходить на зв'язок");
    expect(buttonsOf(message.payload)).toEqual([`pb:${problemId}:take`, `pb:${problemId}:resolve`, `pb:${problemId}:reject`]);
  });

  it("'take' moves it as the Telegram user and the message shows the new state; 'resolved' then settles it", async () => {
    const { orderId, problemId, message } = await problemAlert("Холодна піца");
    const anna = { ...user(5551, "uk"), first_name: "Анна" };
    const t = tap(chat, anna, `pb:${problemId}:take`, message.messageId!);
    expect((await t.send()).status).toBe(200);
    expect(await callbackAnswers(t.id)).toHaveLength(1);
    let card = (await env.ORDER.getByName(orderId).card())!;
    expect(card.problems[0]).toMatchObject({ state: "in_progress", updatedBy: "telegram:5551:Анна" });
    expect(card.problemIndicator).toBe("yellow");
    let edit = await lastEdit();
    expect(edit.payload.message_id).toBe(message.messageId);
    expect(String(edit.payload.text)).toContain("Анна");
    expect(buttonsOf(edit.payload)).toEqual([`pb:${problemId}:resolve`, `pb:${problemId}:reject`]);

    await tap(chat, anna, `pb:${problemId}:resolve`, message.messageId!).send();
    card = (await env.ORDER.getByName(orderId).card())!;
    expect(card.problems[0]!.state).toBe("resolved");
    expect(card.history.at(-1)).toMatchObject({ action: "problem.resolve", actor: "telegram:5551:Анна" });
    edit = await lastEdit();
    expect(buttonsOf(edit.payload)).toEqual([]);
  });

  it("'resolved' on a new problem records both moves as the user", async () => {
    const { orderId, problemId, message } = await problemAlert("Не той соус");
    await tap(chat, user(5552, "uk"), `pb:${problemId}:resolve`, message.messageId!).send();
    const card = (await env.ORDER.getByName(orderId).card())!;
    expect(card.problems[0]!.transitions.map((x) => [x.to, x.actor])).toEqual([
      ["new", `api:${w.apiKeyId}:Оля`],
      ["in_progress", "telegram:5552:User 5552"],
      ["resolved", "telegram:5552:User 5552"],
    ]);
  });

  it("a tap after someone else settled it changes nothing and says so", async () => {
    const { orderId, problemId, message } = await problemAlert("Запізнення");
    await tap(chat, user(5553), `pb:${problemId}:reject`, message.messageId!).send();
    const before = (await env.ORDER.getByName(orderId).card())!;
    const late = tap(chat, user(5554), `pb:${problemId}:take`, message.messageId!);
    await late.send();
    const after = (await env.ORDER.getByName(orderId).card())!;
    expect(after.version).toBe(before.version);
    expect((await callbackAnswers(late.id))[0]!.payload.text).toBe("Стан уже змінився");
  });

  it("a chat not linked to the order's restaurant cannot move it", async () => {
    const { orderId, problemId } = await problemAlert("Чужий чат");
    const other = await ordersWorld();
    const linked = await linkChat({ restaurantId: other.restaurantId });
    const strange: TgChat = { id: linked.telegramChatId, type: "group", title: "Інший" };
    const t = tap(strange, user(5555), `pb:${problemId}:take`);
    await t.send();
    expect((await env.ORDER.getByName(orderId).card())!.problems[0]!.state).toBe("new");
    expect((await callbackAnswers(t.id))[0]!.payload.show_alert).toBe(true);
  });

  it("a forged payload changes nothing", async () => {
    const t = tap(chat, user(5556), "pb:prb_ffffffffffffffffffffffff_1:take");
    expect((await t.send()).status).toBe(200);
    expect(await callbackAnswers(t.id)).toHaveLength(1);
  });
});

describe("every chat's copy of a problem's alert follows the problem", () => {
  let world: OrdersWorld;
  let local: TgChat;
  let owner: TgChat;
  let chatIds: string[];

  beforeAll(async () => {
    world = await ordersWorld();
    const l = await linkChat({ restaurantId: world.restaurantId }, { settings: { language: "uk" } as any });
    const o = await linkChat({ accountId: world.accountId }, { settings: { language: "en" } as any });
    local = { id: l.telegramChatId, type: "group", title: "Зміна" };
    owner = { id: o.telegramChatId, type: "group", title: "Owners" };
    chatIds = [l.chatId, o.chatId];
  });

  /** A problem whose alert reached both chats; the message each chat got. */
  async function announcedTwice(description: string) {
    const { o, problemId } = await newProblem(world, "restaurant", description);
    const messageIn = async (c: TgChat) =>
      (await fake.sent(c.id)).find((x) => x.method === "sendMessage" && JSON.stringify(x.payload).includes(problemId) && x.messageId);
    for (let i = 0; i < 200; i++) {
      for (const id of chatIds) await runDurableObjectAlarm(env.CHAT.getByName(id));
      const [a, b] = [await messageIn(local), await messageIn(owner)];
      if (a && b && (await deliveredInD1(problemId)) === 2) return { orderId: o.id as string, problemId, local: a, owner: b };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("the problem's alert never reached both chats");
  }

  async function deliveredInD1(problemId: string): Promise<number> {
    const shards = [env.DB, env.RECORDS_DB_1!];
    let n = 0;
    for (const db of shards) {
      const r = await db
        .prepare("SELECT COUNT(*) AS n FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.key LIKE ?1 AND d.status = 'sent' AND d.telegram_message_id IS NOT NULL")
        .bind(`%order.problem:${problemId}:%`)
        .first<{ n: number }>();
      n += r?.n ?? 0;
    }
    return n;
  }

  const editsOf = async (c: TgChat, messageId: number) =>
    (await sentTo(c.id)).filter((x) => x.method === "editMessageText" && x.status === 200 && x.payload.message_id === messageId);

  it("a move on the panel or through the API edits the message in every chat, each in its language", async () => {
    const a = await announcedTwice("Сплутали адресу");
    const res = await api(world, "POST", `/orders/${a.orderId}/problems/${a.problemId}`, { action: "take", actor: "Оля" });
    expect(res.status).toBe(200);
    const [inLocal] = await editsOf(local, a.local.messageId!);
    const [inOwner] = await editsOf(owner, a.owner.messageId!);
    expect(buttonsOf(inLocal!.payload)).toEqual([`pb:${a.problemId}:resolve`, `pb:${a.problemId}:reject`]);
    expect(buttonsOf(inOwner!.payload)).toEqual([`pb:${a.problemId}:resolve`, `pb:${a.problemId}:reject`]);
    expect(String(inLocal!.payload.text)).toContain("Оля");
    expect(String(inOwner!.payload.text)).not.toEqual(String(inLocal!.payload.text));
  });

  it("a tap in one chat edits the other chat's copy, and the tapped message once", async () => {
    const a = await announcedTwice("Немає приборів");
    await tap(local, { ...user(5601, "uk"), first_name: "Ігор" }, `pb:${a.problemId}:resolve`, a.local.messageId!).send();
    expect(await editsOf(local, a.local.messageId!)).toHaveLength(1);
    const inOwner = await editsOf(owner, a.owner.messageId!);
    expect(inOwner).toHaveLength(1);
    expect(buttonsOf(inOwner[0]!.payload)).toEqual([]);
    expect(String(inOwner[0]!.payload.text)).toContain("Ігор");
  });
});
