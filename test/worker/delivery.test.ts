/**
 * Delivery: every accepted alert reaches every chat that should see it, in
 * order, once, under Telegram's limits — whatever Telegram answers and even
 * when the chat's object restarts mid-burst.
 *
 * The chat object runs here in virtual time: its clock and the fake Bot API's
 * clock for the chat are moved together, round by round, to each moment the
 * object asked to be woken. A burst that takes minutes under "20 messages a
 * minute in a group" is checked in seconds, on the same timeline the fake
 * judges its limits by. Virtual time starts a week ahead of the real clock, so
 * the object's real alarm never fires during a test.
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { alerts, chats, deliveries } from "../../src/db/schema";
import { recordsDb } from "../../src/db/shards";
import { GROUP_WINDOW_MS, MAX_MESSAGE_CHARS, PER_CHAT_GAP_MS } from "../../src/domain/delivery/limits";
import type { OutgoingMessage } from "../../src/domain/outgoing";
import type { ChatObject } from "../../src/objects/chat-object";
import type { AgentEventType } from "../../src/protocol/events";
import { FakeTelegramControl } from "../fake-telegram/client";
import type { Call } from "../fake-telegram/server";
import { event } from "../fixtures/events";
import { agentPost, linkChat, provision, settle, textOf, type Provisioned } from "./helpers";

const fake = new FakeTelegramControl(env.TELEGRAM_API_ROOT!);
const WEEK = 7 * 24 * 3600_000;

/** A linked chat; `moved` holds the Telegram ids it may move to (their fake clocks move with it). */
type Chat = { chatId: string; telegramChatId: number; moved?: number[] };

/** A chat whose object and fake-Telegram clock both read `start` (virtual ms). */
async function virtualChat(p: Provisioned, opts: Parameters<typeof linkChat>[1] = {}, start = Date.now() + WEEK): Promise<Chat & { start: number }> {
  const chat = await linkChat({ restaurantId: p.restaurantId }, opts);
  await setClock(chat, start);
  return { ...chat, start };
}

/** Runs `fn` inside the chat's object, with the instance as what it is. */
const inChat = <R>(chat: Chat, fn: (o: ChatObject, s: DurableObjectState) => R | Promise<R>): Promise<R> =>
  runInDurableObject(env.CHAT.getByName(chat.chatId), (o, s) => fn(o as unknown as ChatObject, s)) as Promise<R>;

async function setClock(chat: Chat, at: number): Promise<void> {
  await inChat(chat, (o) => {
    o.clock = () => at;
  });
  for (const id of [chat.telegramChatId, ...(chat.moved ?? [])]) await fake.clock(id, at);
}

const nextTimer = (chat: Chat) =>
  inChat(chat, (_o, s) => s.storage.sql.exec<{ t: number | null }>("SELECT MIN(due_at) AS t FROM timers").one().t);

/**
 * Runs the chat object's rounds, each at the moment it asked for, until it has
 * nothing left to do (or `stopAfterSends` sends happened). Returns the virtual time reached.
 */
async function drive(chat: Chat, from: number, opts: { stopAfterSends?: number; maxRounds?: number } = {}): Promise<number> {
  let t = from;
  const before = (await fake.calls(chat.telegramChatId)).calls.length;
  for (let round = 0; round < (opts.maxRounds ?? 5_000); round++) {
    const next = await nextTimer(chat);
    if (next === null) return t;
    t = Math.max(t, next);
    await setClock(chat, t);
    await inChat(chat, (o) => o.work(t));
    if (opts.stopAfterSends !== undefined) {
      const calls = (await fake.calls(chat.telegramChatId)).calls.length;
      if (calls - before >= opts.stopAfterSends) return t;
    }
  }
  throw new Error(`chat ${chat.chatId}: still busy after ${opts.maxRounds ?? 5_000} rounds`);
}

const deliveryRows = (p: Provisioned, chatId: string) =>
  recordsDb(env, p.restaurantId)
    .select({ alertId: deliveries.alertId, status: deliveries.status, messageId: deliveries.telegramMessageId, error: deliveries.error, type: alerts.type })
    .from(deliveries)
    .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
    .where(and(eq(alerts.restaurantId, p.restaurantId), eq(deliveries.chatId, chatId)))
    .orderBy(alerts.id);

const RISKY: AgentEventType[] = ["dish.deleted_saved", "check.deleted", "precheck.cancelled", "check.annulled"];

/** `n` risky events, each with a reason that names it ("причина №17"), in seq order. */
function burst(n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => event(RISKY[(from + i) % RISKY.length]!, { reason: `причина №${from + i}` }));
}

async function post(p: Provisioned, events: ReturnType<typeof burst>) {
  for (let i = 0; i < events.length; i += 500) {
    const r = await agentPost(p, "/events", { events: events.slice(i, i + 500) });
    expect(r.status).toBe(200);
  }
  await settle(p.restaurantId);
}

/** Where each "причина №i" appears across the sent texts (message index, position), -1 when missing. */
function occurrences(sent: Call[], n: number, from = 0): Array<number> {
  const all = sent.map(textOf);
  return Array.from({ length: n }, (_, k) => {
    const re = new RegExp(`причина №${from + k}(?![0-9])`, "g");
    let count = 0;
    let where = -1;
    all.forEach((text, m) => {
      const hits = text.match(re)?.length ?? 0;
      count += hits;
      if (hits > 0 && where < 0) where = m * 100_000 + text.search(re);
    });
    return count === 1 ? where : -1 - count;
  });
}

describe("a burst of alerts into one group", () => {
  it("500 alerts are delivered completely, in order, once, within the group limit and without a single 429", async () => {
    const p = await provision({ name: "Бистро «Пик»" });
    const chat = await virtualChat(p);
    await post(p, burst(500));

    const end = await drive(chat, chat.start);

    const { calls, rateLimited } = await fake.calls(chat.telegramChatId);
    expect(rateLimited).toBe(0);
    expect(calls.every((c) => c.status === 200)).toBe(true);
    const sent = calls;
    // Every alert exactly once, in the order it was accepted.
    const where = occurrences(sent, 500);
    expect(where.filter((x) => x < 0)).toEqual([]);
    expect(where).toEqual([...where].sort((a, b) => a - b));
    // Collected into digests of up to 4,096 characters instead of 500 messages.
    expect(sent.every((c) => textOf(c).length <= MAX_MESSAGE_CHARS)).toBe(true);
    const chars = sent.reduce((n, c) => n + textOf(c).length, 0);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(chars / (MAX_MESSAGE_CHARS * 0.9)) + 1);
    expect(textOf(sent[0]!)).toContain("Сводка:");
    // No faster than the limits allow, and no slower than they force.
    const gaps = sent.slice(1).map((c, i) => c.at - sent[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
    for (let i = 20; i < sent.length; i++) expect(sent[i]!.at - sent[i - 20]!.at).toBeGreaterThanOrEqual(60_000);
    const bound = Math.ceil(sent.length / 20) * GROUP_WINDOW_MS + sent.length * PER_CHAT_GAP_MS;
    expect(end - chat.start).toBeLessThanOrEqual(bound);

    // Every delivery row ends sent, with the id of the message that carried it.
    const rows = await deliveryRows(p, chat.chatId);
    expect(rows).toHaveLength(500);
    expect(rows.filter((r) => r.status !== "sent")).toEqual([]);
    const ids = new Set(sent.map((c) => c.messageId));
    expect(rows.every((r) => ids.has(r.messageId!))).toBe(true);
  });

  it("an object restart mid-burst loses nothing and sends nothing twice, even when the restaurant hands the alerts over again", async () => {
    const p = await provision();
    const chat = await virtualChat(p);
    await post(p, burst(200));
    const handedOver: OutgoingMessage[] = await env.CHAT.getByName(chat.chatId).pending();
    expect(handedOver).toHaveLength(200);

    const t = await drive(chat, chat.start, { stopAfterSends: 3 });
    await evictDurableObject(env.CHAT.getByName(chat.chatId));
    // A restaurant's drain that did not hear back retries the hand-over: already delivered ones are ignored.
    await setClock(chat, t);
    const target = { chatId: chat.chatId, telegramChatId: chat.telegramChatId, type: "group" as const };
    await env.CHAT.getByName(chat.chatId).enqueue(target, handedOver);
    await drive(chat, t);

    const { calls, rateLimited } = await fake.calls(chat.telegramChatId);
    expect(rateLimited).toBe(0);
    expect(occurrences(calls, 200).filter((x) => x < 0)).toEqual([]);
    expect((await deliveryRows(p, chat.chatId)).filter((r) => r.status !== "sent")).toEqual([]);
  });
});

describe("what Telegram answers", () => {
  it("429: waits the retry_after Telegram asked for, then resends the same message once", async () => {
    const p = await provision();
    const chat = await virtualChat(p, { type: "private" });
    await fake.faults(chat.telegramChatId, [{ kind: "rate_limit", retry_after: 7 }]);
    await post(p, burst(1));
    await drive(chat, chat.start);

    const { calls } = await fake.calls(chat.telegramChatId);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(7_000);
    expect(textOf(calls[1]!)).toBe(textOf(calls[0]!));
    expect(await deliveryRows(p, chat.chatId)).toMatchObject([{ status: "sent", messageId: calls[1]!.messageId }]);
  });

  it("5xx and a dropped connection: retries with backoff until it is through", async () => {
    const p = await provision();
    const chat = await virtualChat(p, { type: "private" });
    await fake.faults(chat.telegramChatId, [{ kind: "server_error" }, { kind: "drop" }, { kind: "server_error" }]);
    await post(p, burst(1));
    await drive(chat, chat.start);

    const { calls } = await fake.calls(chat.telegramChatId);
    expect(calls.map((c) => c.status)).toEqual([500, 0, 500, 200]);
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    const [row] = await deliveryRows(p, chat.chatId);
    expect(row).toMatchObject({ status: "sent", messageId: calls[3]!.messageId });
  });

  it("400 for a message: recorded as failed with Telegram's words, and the queue goes on", async () => {
    const p = await provision();
    const chat = await virtualChat(p, { type: "private" });
    await fake.faults(chat.telegramChatId, [{ kind: "bad_request", description: "can't parse entities: Unsupported start tag" }]);
    await post(p, burst(2));
    await drive(chat, chat.start);

    const rows = await deliveryRows(p, chat.chatId);
    expect(rows.map((r) => r.status)).toEqual(["failed", "sent"]);
    expect(rows[0]!.error).toContain("can't parse entities");
    expect(occurrences(await fake.sent(chat.telegramChatId), 1, 1)).not.toContain(-1);
  });

  it("a digest Telegram refuses is sent again line by line, so one bad alert cannot take the others with it", async () => {
    const p = await provision();
    const chat = await virtualChat(p);
    await fake.faults(chat.telegramChatId, [{ kind: "bad_request", description: "message is too long" }]);
    await post(p, burst(60));
    await drive(chat, chat.start);

    const { calls, rateLimited } = await fake.calls(chat.telegramChatId);
    expect(rateLimited).toBe(0);
    expect(calls[0]!.status).toBe(400);
    const sent = calls.filter((c) => c.status === 200);
    expect(occurrences(sent, 60).filter((x) => x < 0)).toEqual([]);
    expect((await deliveryRows(p, chat.chatId)).every((r) => r.status === "sent")).toBe(true);
  });

  it("403 (bot blocked or removed): the chat turns inactive, what was queued fails with the reason, later alerts are skipped", async () => {
    const p = await provision();
    const chat = await virtualChat(p);
    await fake.faults(chat.telegramChatId, [{ kind: "kicked" }]);
    await post(p, burst(3));
    await drive(chat, chat.start);

    const [row] = await database(env.DB).select().from(chats).where(eq(chats.id, chat.chatId));
    expect(row).toMatchObject({ status: "inactive", statusReason: "kicked" });
    const rows = await deliveryRows(p, chat.chatId);
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed", "failed"]);
    expect(rows[0]!.error).toContain("kicked");

    await post(p, burst(1, 3));
    await drive(chat, chat.start);
    expect((await deliveryRows(p, chat.chatId)).at(-1)).toMatchObject({ status: "skipped" });
    expect((await fake.calls(chat.telegramChatId)).calls).toHaveLength(1);
  });

  it("a group upgraded to a supergroup: the message goes to the new id, and so does everything after it", async () => {
    const p = await provision();
    const chat = await virtualChat(p);
    const supergroup = -1_000_000_000_000 - Math.floor(Math.random() * 1_000_000);
    chat.moved = [supergroup];
    await setClock(chat, chat.start);
    await fake.faults(chat.telegramChatId, [{ kind: "migrate", to: supergroup }]);
    await post(p, burst(1));
    let t = await drive(chat, chat.start);

    const [row] = await database(env.DB).select().from(chats).where(eq(chats.id, chat.chatId));
    expect(row).toMatchObject({ telegramChatId: supergroup, type: "supergroup", status: "active" });
    // Routing still knew the old id when it handed the next alert over: the chat follows the new one.
    await post(p, burst(1, 1));
    t = await drive(chat, t);
    await fake.clock(supergroup, null);
    const moved = await fake.sent(supergroup);
    expect(occurrences(moved, 2)).not.toContain(-1);
    expect(await fake.sent(chat.telegramChatId)).toEqual([]);
    expect((await deliveryRows(p, chat.chatId)).map((r) => r.status)).toEqual(["sent", "sent"]);
  });
});

describe("pacing", () => {
  it("a private chat gets its alerts one by one, at least a second apart, while that keeps them timely", async () => {
    const p = await provision();
    const chat = await virtualChat(p, { type: "private" });
    await post(p, burst(5));
    await drive(chat, chat.start);
    const sent = await fake.sent(chat.telegramChatId);
    expect(sent).toHaveLength(5);
    expect(sent.every((c) => !textOf(c).includes("Сводка"))).toBe(true);
    const gaps = sent.slice(1).map((c, i) => c.at - sent[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
  });

  it("a digest speaks the chat's language", async () => {
    const p = await provision();
    const chat = await virtualChat(p, { settings: { language: "en" } });
    await post(p, burst(40));
    await drive(chat, chat.start);
    const sent = await fake.sent(chat.telegramChatId);
    expect(textOf(sent[0]!)).toMatch(/^🗂 <b>Digest: \d+ events<\/b>/);
    expect(occurrences(sent, 40).filter((x) => x < 0)).toEqual([]);
  });
});
