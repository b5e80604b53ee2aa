/**
 * A fake Telegram Bot API server for tests and benchmarks (Node).
 *
 * Answers `POST|GET /bot<token>/<method>` like Telegram: JSON, urlencoded or
 * multipart bodies; `{ ok: true, result }` or `{ ok: false, error_code,
 * description, parameters? }` with the matching HTTP status. Message ids
 * count 1, 2, … per chat. It enforces Telegram's limits the way the real API
 * does, answering 429 with `parameters.retry_after` (seconds) when exceeded:
 *   - per chat: at most 1 message per second (`perChatGapMs`, default 1000);
 *   - per group/supergroup (negative chat id): at most 20 messages per 60 s;
 *   - per bot: at most 30 messages per second across all chats.
 * Only accepted messages count towards the windows (sendMessage, sendPhoto,
 * sendDocument; sendMediaGroup counts each item). Every 429 for a limit is
 * counted (`rateLimited`); scripted 429s are counted apart (`forced429`).
 *
 * State is kept per chat id, so test files running at the same time do not
 * interfere as long as each uses its own chat ids.
 *
 * Control API (JSON):
 *   GET  /control/calls?chat_id=<id>   → { calls: [{ method, payload, at, status, messageId?, description? }],
 *                                          rateLimited, forced429 }   (calls in arrival order; `at` = ms epoch)
 *   GET  /control/calls                → same for every chat (calls carry `chatId`), plus the calls about
 *                                          no chat (answerCallbackQuery, setMyCommands, …) with `chatId: null`
 *   GET  /control/stats                → { calls, sent, rateLimited, forced429 }
 *   POST /control/faults  { chat_id, faults: Fault[] }  → queue scripted answers for that chat
 *        Fault = { kind, times?, method?, ... } consumed by matching calls in order; `times` (default 1,
 *        -1 = forever) says how many calls it answers; `method` limits it to one method (default: any send).
 *        kinds: "blocked"   → 403 "Forbidden: bot was blocked by the user"
 *               "kicked"    → 403 "Forbidden: bot was kicked from the group chat"
 *               "not_found" → 400 "Bad Request: chat not found"
 *               "bad_request" (description?) → 400 "Bad Request: <description | can't parse entities…>"
 *               "migrate" (to: new chat id) → 400 "Bad Request: group chat was upgraded to a supergroup chat"
 *                                             with parameters.migrate_to_chat_id
 *               "server_error" → 500 "Internal Server Error"
 *               "drop"      → the connection is destroyed without an answer (nothing recorded as sent)
 *               "rate_limit" (retry_after, default 1) → 429 with parameters.retry_after
 *   POST /control/chat-admins { chat_id, user_ids } → getChatMember answers "administrator" for them,
 *        "member" for anyone else in that chat
 *   POST /control/clock { chat_id, at } → the chat's calls happen at virtual time `at` (ms epoch; null = the
 *        real clock again): a test that drives a chat object in virtual time moves the fake's clock with it,
 *        so the limits are judged on the same timeline. Virtual-time chats share a bot-wide window of
 *        their own, apart from real-time ones.
 *   POST /control/reset { chat_id? }   → forgets one chat (calls, faults, counters, admins) or everything
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Fault {
  kind: "blocked" | "kicked" | "not_found" | "bad_request" | "migrate" | "server_error" | "drop" | "rate_limit";
  times?: number;
  method?: string;
  description?: string;
  to?: number;
  retry_after?: number;
}

export interface Call {
  chatId: number | null;
  method: string;
  payload: Record<string, unknown>;
  at: number;
  status: number;
  messageId?: number;
  description?: string;
}

export interface Limits {
  perChatGapMs: number;
  groupPerMinute: number;
  botPerSecond: number;
}

export const DEFAULT_LIMITS: Limits = { perChatGapMs: 1000, groupPerMinute: 20, botPerSecond: 30 };

const SENDS = new Set(["sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup"]);

interface ChatState {
  nextMessageId: number;
  calls: Call[];
  faults: Fault[];
  /** Times (ms) of accepted messages, oldest first, last minute only. */
  sentAt: number[];
  rateLimited: number;
  forced429: number;
  admins: Set<number>;
  /** Virtual time of this chat's calls (ms epoch), or null for the real clock. */
  clock: number | null;
}

export class FakeTelegram {
  readonly chats = new Map<number, ChatState>();
  /** Calls that name no chat (answerCallbackQuery, setMyCommands, setWebhook, getMe), newest last, bounded. */
  private chatless: Call[] = [];
  /** Accepted messages across the bot, last second only. */
  private botSentAt: number[] = [];
  /** The same for chats on a virtual clock (their timeline is not the real one). */
  private virtualBotSentAt: number[] = [];
  rateLimited = 0;
  forced429 = 0;
  private server: Server | null = null;
  url = "";

  constructor(readonly limits: Limits = DEFAULT_LIMITS) {}

  chat(id: number): ChatState {
    let c = this.chats.get(id);
    if (!c) {
      c = { nextMessageId: 1, calls: [], faults: [], sentAt: [], rateLimited: 0, forced429: 0, admins: new Set(), clock: null };
      this.chats.set(id, c);
    }
    return c;
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        console.error("fake telegram:", err);
        if (!res.headersSent) send(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = null;
  }

  stats() {
    let calls = 0;
    let sent = 0;
    for (const c of this.chats.values()) {
      calls += c.calls.length;
      sent += c.calls.filter((x) => SENDS.has(x.method) && x.status === 200).length;
    }
    return { calls, sent, rateLimited: this.rateLimited, forced429: this.forced429 };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = await readBody(req);
    if (url.pathname.startsWith("/control/")) return this.control(req.method ?? "GET", url, body, res);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const method = m[2]!;
    const payload = await parsePayload(req, url, body);
    const chatId = payload.chat_id === undefined ? null : Number(payload.chat_id);
    const at = (chatId !== null ? this.chats.get(chatId)?.clock : null) ?? Date.now();
    const answer = this.answer(method, payload, chatId, at);
    if (answer === "drop") {
      if (chatId !== null) this.chat(chatId).calls.push({ chatId, method, payload, at, status: 0, description: "dropped" });
      req.socket.destroy();
      return;
    }
    if (chatId !== null && Number.isFinite(chatId)) {
      const call: Call = { chatId, method, payload, at, status: answer.status };
      const r = answer.body.result as { message_id?: number } | { message_id: number }[] | undefined;
      if (answer.status === 200 && r && !Array.isArray(r) && typeof r === "object" && r.message_id) call.messageId = r.message_id;
      if (answer.status === 200 && Array.isArray(r)) call.messageId = r[0]?.message_id;
      if (answer.body.description) call.description = String(answer.body.description);
      this.chat(chatId).calls.push(call);
    } else if (chatId === null) {
      this.chatless.push({ chatId: null, method, payload, at, status: answer.status });
      if (this.chatless.length > 10_000) this.chatless.splice(0, 1_000);
    }
    send(res, answer.status, answer.body);
  }

  private answer(method: string, payload: Record<string, unknown>, chatId: number | null, at: number): { status: number; body: Record<string, unknown> } | "drop" {
    const err = (status: number, description: string, parameters?: Record<string, unknown>) => ({
      status,
      body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
    });
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    const date = Math.floor(at / 1000);

    if (method === "getMe") return ok({ id: 4242, is_bot: true, first_name: "Fake Tillwatch", username: "fake_tillwatch_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
    if (["setMyCommands", "deleteMyCommands", "setWebhook", "deleteWebhook", "answerCallbackQuery", "setChatMenuButton", "sendChatAction"].includes(method)) return ok(true);
    if (chatId === null || !Number.isFinite(chatId) || chatId === 0) return err(400, "Bad Request: chat not found");
    const chat = this.chat(chatId);

    const isSend = SENDS.has(method);
    const fault = this.takeFault(chat, method, isSend);
    if (fault) {
      switch (fault.kind) {
        case "blocked":
          return err(403, "Forbidden: bot was blocked by the user");
        case "kicked":
          return err(403, "Forbidden: bot was kicked from the group chat");
        case "not_found":
          return err(400, "Bad Request: chat not found");
        case "bad_request":
          return err(400, `Bad Request: ${fault.description ?? "can't parse entities: Unsupported start tag \"x\" at byte offset 0"}`);
        case "migrate":
          return err(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: fault.to });
        case "server_error":
          return err(500, "Internal Server Error");
        case "drop":
          return "drop";
        case "rate_limit":
          chat.forced429++;
          this.forced429++;
          return err(429, `Too Many Requests: retry after ${fault.retry_after ?? 1}`, { retry_after: fault.retry_after ?? 1 });
      }
    }

    if (method === "getChatMember") {
      const userId = Number(payload.user_id);
      return ok({ status: chat.admins.has(userId) ? "administrator" : "member", user: { id: userId, is_bot: false, first_name: `User ${userId}` } });
    }
    if (method === "getChat") return ok(chatOf(chatId));
    if (["editMessageText", "editMessageReplyMarkup", "editMessageCaption"].includes(method)) {
      const id = Number(payload.message_id);
      if (!Number.isInteger(id) || id <= 0 || id >= chat.nextMessageId) return err(400, "Bad Request: message to edit not found");
      return ok({ message_id: id, date, edit_date: date, chat: chatOf(chatId), ...(typeof payload.text === "string" ? { text: payload.text } : {}) });
    }
    if (method === "deleteMessage") return ok(true);
    if (!isSend) return err(404, "Not Found: method not found");

    const count = method === "sendMediaGroup" && Array.isArray(payload.media) ? payload.media.length : 1;
    if (method === "sendMessage") {
      const text = typeof payload.text === "string" ? payload.text : "";
      if (text.length === 0) return err(400, "Bad Request: message text is empty");
      if (text.length > 4096) return err(400, "Bad Request: message is too long");
    }
    const wait = this.limitWait(chat, chatId, at, count);
    if (wait > 0) {
      chat.rateLimited++;
      this.rateLimited++;
      const retryAfter = Math.max(1, Math.ceil(wait / 1000));
      return err(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    for (let i = 0; i < count; i++) {
      chat.sentAt.push(at);
      (chat.clock === null ? this.botSentAt : this.virtualBotSentAt).push(at);
    }
    const messages = Array.from({ length: count }, () => ({
      message_id: chat.nextMessageId++,
      date,
      chat: chatOf(chatId),
      from: { id: 4242, is_bot: true, first_name: "Fake Tillwatch" },
      ...(typeof payload.text === "string" ? { text: payload.text } : {}),
      ...(method === "sendPhoto" ? { photo: [{ file_id: "fake", file_unique_id: "fake", width: 100, height: 100 }] } : {}),
    }));
    return ok(method === "sendMediaGroup" ? messages : messages[0]);
  }

  /** How long (ms) until `count` more messages would be within every limit; 0 = now. */
  private limitWait(chat: ChatState, chatId: number, at: number, count: number): number {
    chat.sentAt = chat.sentAt.filter((t) => t > at - 60_000);
    const virtual = chat.clock !== null;
    const bot = (virtual ? this.virtualBotSentAt : this.botSentAt).filter((t) => t > at - 1_000 && t <= at);
    if (virtual) this.virtualBotSentAt = bot;
    else this.botSentAt = bot;
    let wait = 0;
    const last = chat.sentAt[chat.sentAt.length - 1];
    if (last !== undefined && at - last < this.limits.perChatGapMs) wait = Math.max(wait, last + this.limits.perChatGapMs - at);
    if (chatId < 0 && chat.sentAt.length + count > this.limits.groupPerMinute) {
      const oldest = chat.sentAt[chat.sentAt.length + count - this.limits.groupPerMinute - 1]!;
      wait = Math.max(wait, oldest + 60_000 - at);
    }
    if (bot.length + count > this.limits.botPerSecond) wait = Math.max(wait, bot[0]! + 1_000 - at);
    return wait;
  }

  private takeFault(chat: ChatState, method: string, isSend: boolean): Fault | null {
    const i = chat.faults.findIndex((f) => (f.method ? f.method === method : isSend));
    if (i < 0) return null;
    const f = chat.faults[i]!;
    const times = f.times ?? 1;
    if (times > 0) {
      if (times === 1) chat.faults.splice(i, 1);
      else f.times = times - 1;
    }
    return f;
  }

  private control(method: string, url: URL, body: Buffer, res: ServerResponse): void {
    const json = (): Record<string, any> => (body.length ? JSON.parse(body.toString("utf8")) : {});
    const path = url.pathname;
    if (method === "GET" && path === "/control/calls") {
      const id = url.searchParams.get("chat_id");
      if (id !== null) {
        const c = this.chats.get(Number(id));
        return send(res, 200, { calls: c?.calls ?? [], rateLimited: c?.rateLimited ?? 0, forced429: c?.forced429 ?? 0 });
      }
      const calls = [...this.chats.values()].flatMap((c) => c.calls).concat(this.chatless).sort((a, b) => a.at - b.at);
      return send(res, 200, { calls, rateLimited: this.rateLimited, forced429: this.forced429 });
    }
    if (method === "GET" && path === "/control/stats") return send(res, 200, this.stats());
    if (method === "POST" && path === "/control/faults") {
      const b = json();
      this.chat(Number(b.chat_id)).faults.push(...((b.faults ?? []) as Fault[]).map((f) => ({ ...f })));
      return send(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/control/chat-admins") {
      const b = json();
      const c = this.chat(Number(b.chat_id));
      c.admins = new Set(((b.user_ids ?? []) as unknown[]).map(Number));
      return send(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/control/clock") {
      const b = json();
      this.chat(Number(b.chat_id)).clock = b.at === null || b.at === undefined ? null : Number(b.at);
      return send(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/control/reset") {
      const b = json();
      if (b.chat_id !== undefined) this.chats.delete(Number(b.chat_id));
      else {
        this.chats.clear();
        this.chatless = [];
        this.botSentAt = [];
        this.virtualBotSentAt = [];
        this.rateLimited = 0;
        this.forced429 = 0;
      }
      return send(res, 200, { ok: true });
    }
    send(res, 404, { error: "unknown control call" });
  }
}

function chatOf(id: number) {
  return id > 0 ? { id, type: "private", first_name: `User ${id}` } : { id, type: id < -1_000_000_000_000 ? "supergroup" : "group", title: `Chat ${id}` };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (b: Buffer) => parts.push(b));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

async function parsePayload(req: IncomingMessage, url: URL, body: Buffer): Promise<Record<string, unknown>> {
  const type = req.headers["content-type"] ?? "";
  const out: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (body.length === 0) return out;
  if (type.includes("application/json")) return { ...out, ...JSON.parse(body.toString("utf8")) };
  if (type.includes("multipart/form-data") || type.includes("application/x-www-form-urlencoded")) {
    const form = await new Request("http://fake/", { method: "POST", headers: { "content-type": type }, body }).formData();
    for (const [k, v] of form.entries()) {
      if (typeof v !== "string") {
        const file = v as unknown as File;
        // The first bytes let a test check what was uploaded (a PNG's signature and IHDR size).
        const head = Buffer.from(await file.slice(0, 32).arrayBuffer()).toString("hex");
        out[k] = { file: file.name, size: file.size, type: file.type, head };
      }
      else if (/^[[{]/.test(v)) {
        try {
          out[k] = JSON.parse(v);
        } catch {
          out[k] = v;
        }
      } else out[k] = v;
    }
  }
  return out;
}

/** Starts a fake on `port` (0 = any free port). */
export async function startFakeTelegram(opts: { port?: number; limits?: Partial<Limits> } = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegram({ ...DEFAULT_LIMITS, ...opts.limits });
  await fake.listen(opts.port ?? 0);
  return fake;
}
