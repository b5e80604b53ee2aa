/**
 * The Worker's HTTP surface. Routes are thin; errors of every kind answer
 * `{ error: { code, message } }` with the right status: 404 for unknown
 * routes, 405 (with Allow) for a known route and the wrong method.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Env } from "./env";
import { ApiError, errorResponse } from "./lib/errors";
import { adminApi } from "./routes/admin-api";
import { agentRoutes } from "./routes/agent";
import { apiV1 } from "./routes/api-v1";
import { paymentWebhook } from "./routes/payment-webhook";
import { mountTelegram } from "./routes/telegram";
import { standinRoutes } from "./routes/standin";
import { web } from "./routes/web";

export type AppEnv = { Bindings: Env };

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    if (err instanceof HTTPException) {
      return c.json({ error: { code: "http_error", message: err.message || "request failed" } }, err.status);
    }
    console.error(`${c.req.method} ${new URL(c.req.url).pathname}:`, err);
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));

  // Liveness, and the no-op route benchmarks compare the agent endpoints with.
  app.on(["GET", "POST"], "/healthz", async (c) => {
    if (c.req.method === "POST") await c.req.arrayBuffer();
    return c.json({ ok: true });
  });

  app.route("/agent/v1", agentRoutes);
  app.route("/admin/api/standin", standinRoutes);
  app.route("/admin/api", adminApi);
  app.route("/admin", web);
  app.route("/api/v1", apiV1);
  app.route("/payments/v1", paymentWebhook);
  mountTelegram(app);

  answerWrongMethods(app);
  return app;
}

/** For every path some route serves, a request with another method gets 405 and the Allow header. */
function answerWrongMethods(app: Hono<AppEnv>): void {
  const allowed = new Map<string, Set<string>>();
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const set = allowed.get(r.path) ?? new Set<string>();
    set.add(r.method);
    if (r.method === "GET") set.add("HEAD");
    allowed.set(r.path, set);
  }
  for (const [path, methods] of allowed) {
    const allow = [...methods].sort().join(", ");
    app.all(path, (c) => {
      c.header("Allow", allow);
      return c.json({ error: { code: "method_not_allowed", message: `${c.req.method} is not allowed here; use ${allow}` } }, 405);
    });
  }
}
