/**
 * How the Worker talks to the Telegram Bot API — the one place that decides
 * between the real API and the local stand-in:
 *
 * - `TELEGRAM_BOT_TOKEN` set: real HTTP to `TELEGRAM_API_ROOT`
 *   (default https://api.telegram.org; tests point it at a fake server);
 * - no token: an in-process stand-in (src/telegram/standin/) that answers like
 *   the Bot API and records what would have been sent in D1
 *   `standin_messages` (shown by `GET /admin/api/standin/messages`).
 *
 * The bot (grammY) gets the same routing through `telegramClientOptions`;
 * chat objects call `callBotApi` and act on its structured result.
 */
import { config, type Env } from "../env";
import { standinCall } from "./standin/bot-api";
import { d1StandinStore } from "./standin/d1-store";

/** Token the stand-in runs under when no real token is configured. */
export const STANDIN_TOKEN = "1000000001:local-standin-token";
/** Never resolved: the stand-in's fetch answers every URL under it in-process. */
export const STANDIN_API_ROOT = "http://telegram-standin.invalid";

export interface BotApiParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** Telegram's answer, or a network failure (no answer at all: `error_code` 0). */
export type BotApiResult<T = unknown> =
  | { ok: true; result: T }
  | { ok: false; error_code: number; description: string; parameters?: BotApiParameters; network?: false }
  | { ok: false; error_code: 0; description: string; network: true };

/** A file uploaded with multipart/form-data (sendPhoto's `photo`). */
export interface BotApiFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

export function usesStandin(env: Env): boolean {
  return !env.TELEGRAM_BOT_TOKEN;
}

export function botToken(env: Env): string {
  return env.TELEGRAM_BOT_TOKEN || STANDIN_TOKEN;
}

/** Options for grammY: `new Bot(botToken(env), { client: telegramClientOptions(env) })`. */
export function telegramClientOptions(env: Env): { apiRoot: string; fetch?: typeof fetch } {
  if (usesStandin(env)) return { apiRoot: STANDIN_API_ROOT, fetch: standinFetch(env) };
  return { apiRoot: config(env).telegramApiRoot };
}

const TIMEOUT_MS = 20_000;

/**
 * Calls one Bot API method. Never throws for Telegram's or the network's
 * failures: the caller decides what a 429, 403 or timeout means.
 */
export async function callBotApi<T = unknown>(
  env: Env,
  method: string,
  payload: Record<string, unknown>,
  files?: Record<string, BotApiFile>,
): Promise<BotApiResult<T>> {
  const { apiRoot, fetch: doFetch = fetch } = telegramClientOptions(env);
  const url = `${apiRoot}/bot${botToken(env)}/${method}`;
  let init: RequestInit;
  if (files && Object.keys(files).length > 0) {
    const form = new FormData();
    for (const [k, v] of Object.entries(payload)) {
      if (v === undefined || v === null) continue;
      form.append(k, typeof v === "string" ? v : JSON.stringify(v));
    }
    for (const [k, f] of Object.entries(files)) form.append(k, new Blob([f.bytes], { type: f.contentType }), f.filename);
    init = { method: "POST", body: form };
  } else {
    init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) };
  }
  // A timer we clear ourselves, not AbortSignal.timeout: a pending timeout keeps
  // a Durable Object busy (not evictable) for its whole length after the call.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  let res: Response;
  let text: string;
  try {
    res = await doFetch(url, { ...init, signal: abort.signal });
    text = await res.text().catch(() => "");
  } catch (err) {
    return { ok: false, error_code: 0, network: true, description: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  } finally {
    clearTimeout(timer);
  }
  try {
    const body = JSON.parse(text) as BotApiResult<T>;
    if (body && typeof body === "object" && typeof body.ok === "boolean") {
      if (body.ok) return body;
      return {
        ok: false,
        error_code: typeof body.error_code === "number" && body.error_code > 0 ? body.error_code : res.status,
        description: String(body.description ?? `HTTP ${res.status}`),
        ...(body.network !== true && body.parameters ? { parameters: body.parameters } : {}),
      };
    }
  } catch {
    // Not JSON: a proxy's error page; the status says enough.
  }
  return { ok: false, error_code: res.status >= 400 ? res.status : 502, description: `HTTP ${res.status}: ${text.slice(0, 200)}` };
}

/** A `fetch` that answers Bot API requests with the stand-in, recording in D1. */
export function standinFetch(env: Env): typeof fetch {
  const store = d1StandinStore(env.DB);
  const f = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const m = /\/bot[^/]+\/([A-Za-z]+)$/.exec(new URL(req.url).pathname);
    if (!m) return Response.json({ ok: false, error_code: 404, description: "Not Found" }, { status: 404 });
    const payload = await requestPayload(req);
    const result = await standinCall(store, m[1]!, payload);
    return Response.json(result, { status: result.ok ? 200 : result.error_code || 500 });
  };
  return f as typeof fetch;
}

/** A Bot API request's parameters from JSON, urlencoded or multipart; files become `{ file, size }`. */
export async function requestPayload(req: Request): Promise<Record<string, unknown>> {
  const type = req.headers.get("content-type") ?? "";
  if (req.method === "GET" || !req.body) return Object.fromEntries(new URL(req.url).searchParams);
  if (type.includes("application/json")) return ((await req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
  if (type.includes("multipart/form-data") || type.includes("application/x-www-form-urlencoded")) {
    const form = await req.formData();
    const out: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) {
      if (typeof v !== "string") {
        out[k] = { file: (v as File).name, size: (v as File).size };
        continue;
      }
      out[k] = /^[[{]/.test(v) ? tryJson(v) : v;
    }
    return out;
  }
  return {};
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
