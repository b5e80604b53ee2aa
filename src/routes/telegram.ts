/**
 * `POST /telegram/webhook`: updates from Telegram for the bot, and
 * `POST /admin/api/telegram/setup` (admin bearer) to register the command menu
 * and the webhook.
 *
 * The webhook answers 401 unless Telegram's secret-token header matches
 * TELEGRAM_WEBHOOK_SECRET (constant time). An update id seen before is
 * acknowledged and skipped (Telegram re-sends what it thinks failed). A
 * handler that throws is logged and still answered 200: Telegram would
 * otherwise re-send the poisoned update forever, and what the handler already
 * wrote stays written.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app";
import type { Env } from "../env";
import { secretsEqual } from "../lib/crypto";
import { ApiError, badRequest, unauthorized, zodIssues } from "../lib/errors";
import { ensureCommandMenu, getBot, setupTelegram } from "../telegram/bot";
import { withBackground } from "../telegram/bot/background";
import { requireAdminToken } from "./admin-auth";

const MAX_UPDATE_BYTES = 1024 * 1024;
/** How long an update id is remembered; Telegram gives up re-sending after about a day. */
const UPDATE_MEMORY_MS = 3 * 86_400_000;

const UpdateEnvelope = z.looseObject({ update_id: z.int().nonnegative() });

export const telegramRoutes = new Hono<AppEnv>();

telegramRoutes.post("/webhook", async (c) => {
  const secret = c.env.TELEGRAM_WEBHOOK_SECRET;
  const given = c.req.header("X-Telegram-Bot-Api-Secret-Token") ?? "";
  if (!secret || !(await secretsEqual(given, secret))) throw unauthorized("unauthorized", "missing or wrong secret token");

  const text = await c.req.text();
  if (text.length > MAX_UPDATE_BYTES) throw new ApiError(413, "too_large", "update too large");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "the body is not JSON");
  }
  const parsed = UpdateEnvelope.safeParse(json);
  if (!parsed.success) throw new ApiError(400, "invalid_body", "not a Telegram update");
  const update = parsed.data;

  if (!(await claimUpdate(c.env, update.update_id))) return c.json({ ok: true, duplicate: true });

  try {
    await ensureCommandMenu(c.env);
  } catch (err) {
    console.error("telegram: could not set the command menu:", err);
  }
  try {
    const bot = await getBot(c.env);
    // A handler may finish slow work (a report from the till) after this answer: Telegram holds a
    // chat's next updates until it has one.
    const ec = executionContextOf(c);
    await withBackground(update.update_id, ec && ((p) => ec.waitUntil(p)), () => bot.handleUpdate(update as Parameters<typeof bot.handleUpdate>[0]));
  } catch (err) {
    console.error(`telegram update ${update.update_id}:`, err);
  }
  return c.json({ ok: true });
});

/** The request's execution context, when the runtime gave one (Hono throws when asked without). */
function executionContextOf(c: { executionCtx: ExecutionContext }): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/** True the first time an update id is seen. */
async function claimUpdate(env: Env, updateId: number, now = Date.now()): Promise<boolean> {
  const res = await env.DB.prepare("INSERT INTO telegram_updates (update_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
    .bind(updateId, now)
    .run();
  // Keep the table small without a job of its own: every hundredth update sweeps old ids.
  if (updateId % 100 === 0) await env.DB.prepare("DELETE FROM telegram_updates WHERE received_at < ?").bind(now - UPDATE_MEMORY_MS).run();
  return res.meta.changes > 0;
}

export const telegramAdminRoutes = new Hono<AppEnv>();
telegramAdminRoutes.use(requireAdminToken);
const SetupBody = z.strictObject({ url: z.url({ protocol: /^https?$/ }).optional() });

/** Body `{ "url"? }`: the Worker's public base URL; else PUBLIC_URL; else the URL this call came to. */
telegramAdminRoutes.post("/setup", async (c) => {
  const text = await c.req.text();
  let json: unknown = {};
  if (text.trim()) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "the body is not JSON");
    }
  }
  const body = SetupBody.safeParse(json);
  if (!body.success) throw badRequest("invalid setup request", zodIssues(body.error));
  const publicUrl = body.data.url ?? c.env.PUBLIC_URL ?? new URL(c.req.url).origin;
  return c.json(await setupTelegram(c.env, publicUrl));
});

/** Mounts the webhook and the admin setup route (one line in src/app.ts). */
export function mountTelegram(app: Hono<AppEnv>): void {
  app.route("/telegram", telegramRoutes);
  app.route("/admin/api/telegram", telegramAdminRoutes);
}
