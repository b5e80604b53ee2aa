/**
 * The admin JSON API is for provisioning scripts: a bearer token
 * (ADMIN_API_TOKEN), compared in constant time.
 */
import { createMiddleware } from "hono/factory";
import type { Env } from "../env";
import { unauthorized } from "../lib/errors";
import { secretsEqual } from "../lib/crypto";

export const requireAdminToken = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  const expected = c.env.ADMIN_API_TOKEN;
  const header = c.req.header("authorization") ?? "";
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!expected) throw unauthorized("not_configured", "the admin API is disabled: ADMIN_API_TOKEN is not set");
  if (!m || !(await secretsEqual(m[1]!, expected))) throw unauthorized("unauthorized", "missing or wrong bearer token");
  await next();
});
