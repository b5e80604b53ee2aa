/**
 * What the local Telegram stand-in recorded (no TELEGRAM_BOT_TOKEN): the demo
 * and the admin page poll this to show what the bot would have sent.
 * `GET /admin/api/standin/messages?telegramChatId=&after=&limit=` (admin bearer token).
 */
import { Hono } from "hono";
import { z } from "zod";
import { database } from "../db/client";
import type { Env } from "../env";
import { badRequest, zodIssues } from "../lib/errors";
import { listStandinMessages } from "../telegram/standin/d1-store";
import { requireAdminToken } from "./admin-auth";

const Query = z.object({
  telegramChatId: z.coerce.number().int().optional(),
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const standinRoutes = new Hono<{ Bindings: Env }>();
standinRoutes.use("*", requireAdminToken);
standinRoutes.get("/messages", async (c) => {
  const parsed = Query.safeParse(c.req.query());
  if (!parsed.success) throw badRequest("invalid query", zodIssues(parsed.error));
  const messages = await listStandinMessages(database(c.env.DB), parsed.data);
  return c.json({ messages, next: messages.length ? messages[messages.length - 1]!.id : (parsed.data.after ?? 0) });
});
