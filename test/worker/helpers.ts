/** Test helpers for the Worker: call it like an agent or an admin would. */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { importAgentKey, signRequest } from "../../src/protocol/signing";
import { FakeTelegramControl } from "../fake-telegram/client";
import type { Call } from "../fake-telegram/server";

export const ADMIN_TOKEN = "test-admin-token";

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`http://tillwatch.test${path}`, init));
}

export async function admin<T = any>(method: string, path: string, body?: unknown, token = ADMIN_TOKEN): Promise<{ status: number; body: T }> {
  const res = await call(`/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export interface Provisioned {
  accountId: string;
  restaurantId: string;
  agentId: string;
  agentKey: string;
}

export async function provision(opts: { timezone?: string; name?: string; accountId?: string } = {}): Promise<Provisioned> {
  const accountId = opts.accountId ?? (await admin("POST", "/accounts", { name: "Test Group" })).body.id;
  const r = await admin("POST", "/restaurants", { accountId, name: opts.name ?? "Бистро «Тест»", timezone: opts.timezone ?? "Europe/Moscow" });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  const a = await admin("POST", `/restaurants/${r.body.id}/agents`, { name: "Кассовый сервер" });
  if (a.status !== 201) throw new Error(JSON.stringify(a.body));
  return { accountId, restaurantId: r.body.id, agentId: a.body.agentId, agentKey: a.body.agentKey };
}

export async function agentHeaders(agentId: string, agentKey: string, body: string, at = Math.floor(Date.now() / 1000)) {
  return signRequest(agentId, await importAgentKey(agentKey), body, at);
}

/** POSTs as an agent: signed with its key unless told otherwise. */
export async function agentPost(
  p: Pick<Provisioned, "agentId" | "agentKey">,
  path: "/events" | "/heartbeat",
  payload: unknown,
  opts: { at?: number; key?: string; body?: string; contentType?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const body = opts.body ?? JSON.stringify(payload);
  const headers = await agentHeaders(p.agentId, opts.key ?? p.agentKey, body, opts.at);
  const res = await call(`/agent/v1${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": opts.contentType ?? "application/json" },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export const restaurantStub = (id: string) => env.RESTAURANT.getByName(id);

/** A signed request as the Worker hands it to the restaurant object (to drive it with an explicit `now`). */
export async function signedForObject(p: Provisioned, payload: unknown, atSeconds = Math.floor(Date.now() / 1000)) {
  const body = JSON.stringify(payload);
  const h = await agentHeaders(p.agentId, p.agentKey, body, atSeconds);
  return {
    agentId: p.agentId,
    timestamp: h["X-Agent-Timestamp"]!,
    signature: h["X-Agent-Signature"]!.slice(3),
    body: new TextEncoder().encode(body).buffer as ArrayBuffer,
  };
}

export const heartbeatBody = (online = true) => ({ agentVersion: "1.0.0", pos: { kind: "simulator", online }, stations: [] });

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { database } from "../../src/db/client";
import { chatLinks, chats } from "../../src/db/schema";
import type { ChatSettings } from "../../src/domain/chat-settings";

let chatCounter = 0;
/** Links a Telegram chat (as /link would) to a restaurant or an account. */
export async function linkChat(
  to: { restaurantId: string } | { accountId: string },
  opts: { settings?: Partial<ChatSettings>; status?: "active" | "inactive"; statusReason?: string; type?: "private" | "group" | "supergroup" } = {},
): Promise<{ chatId: string; telegramChatId: number }> {
  const db = database(env.DB);
  chatCounter++;
  const chatId = `cht_test${Date.now().toString(36)}${chatCounter}`;
  // Telegram's ids: users positive, groups negative (the fake applies group limits to negative ids).
  const random = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const telegramChatId = opts.type === "private" ? random : -random;
  await db.batch([
    db.insert(chats).values({
      id: chatId,
      telegramChatId,
      type: opts.type ?? "group",
      title: `Чат ${chatCounter}`,
      settings: JSON.stringify(opts.settings ?? {}),
      status: opts.status ?? "active",
      statusReason: opts.statusReason ?? null,
    }),
    db.insert(chatLinks).values({
      id: `lnk_${chatId}`,
      chatId,
      restaurantId: "restaurantId" in to ? to.restaurantId : null,
      accountId: "accountId" in to ? to.accountId : null,
    }),
  ]);
  return { chatId, telegramChatId };
}

/** Runs the restaurant object's alarm until its outbox has nothing due (the alarm may also fire by itself). */
export async function settle(restaurantId: string): Promise<void> {
  const stub = env.RESTAURANT.getByName(restaurantId);
  for (let i = 0; i < 50; i++) {
    await runDurableObjectAlarm(stub);
    const due = await runInDurableObject(stub, (_o, s) =>
      s.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE next_at <= ?", Date.now()).one().n,
    );
    if (due === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`restaurant ${restaurantId}: outbox did not drain`);
}

export const chatQueue = (chatId: string) => env.CHAT.getByName(chatId).pending();

const fakeTelegram = new FakeTelegramControl(env.TELEGRAM_API_ROOT!);

/**
 * What the fake Bot API accepted for a chat, once it holds `count` messages
 * or `waitMs` passed (delivery is paced in real time: about one a second).
 */
export async function delivered(telegramChatId: number, count: number, waitMs = 30_000): Promise<Call[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const sent = await fakeTelegram.sent(telegramChatId);
    if (sent.length >= count || Date.now() > deadline) return sent;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The text of a sent message (a photo's caption). */
export const textOf = (c: Call): string => String(c.method === "sendPhoto" ? c.payload.caption : c.payload.text);

/**
 * Opens the agent link (GET /agent/v1/link, signed like a GET) as the agent
 * would and returns the accepted client end, with every frame it receives.
 */
export async function openAgentLink(p: Provisioned, key = p.agentKey): Promise<{ ws: WebSocket; frames: unknown[]; next: () => Promise<any> }> {
  const headers = await agentHeaders(p.agentId, key, "");
  const res = await call("/agent/v1/link", { headers: { ...headers, Upgrade: "websocket" } });
  if (res.status !== 101 || !res.webSocket) throw new Error(`link refused: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  ws.accept();
  const frames: unknown[] = [];
  const waiting: Array<(f: unknown) => void> = [];
  ws.addEventListener("message", (e) => {
    const frame = JSON.parse(String(e.data));
    const w = waiting.shift();
    if (w) w(frame);
    else frames.push(frame);
  });
  const next = () => (frames.length > 0 ? Promise.resolve(frames.shift()) : new Promise((resolve) => waiting.push(resolve)));
  return { ws, frames, next };
}
