/**
 * The agent protocol, `/agent/v1` (docs/PROTOCOL.md). The Worker checks what
 * it can without state — headers, timestamp window, size, content type, that
 * the agent exists — and the restaurant's object checks the signature with
 * the agent's key and does the rest.
 */
import { Hono, type Context } from "hono";
import { database } from "../db/client";
import { restaurantOfAgent } from "../db/agent-directory";
import type { Env } from "../env";
import { MIB, readBodyLimited, requireJsonContentType } from "../lib/body";
import { ApiError, unauthorized } from "../lib/errors";
import type { SignedRequest } from "../objects/restaurant-object";
import {
  AGENT_ID_HEADER,
  checkTimestamp,
  parseSignature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  toHex,
} from "../protocol/signing";

export const agentRoutes = new Hono<{ Bindings: Env }>();

agentRoutes.use(async (c, next) => {
  await next();
  c.header("X-Server-Time", String(Math.floor(Date.now() / 1000)));
});

/** Headers, timestamp and agent existence; returns the restaurant id and the parts to verify. */
async function precheck(c: Context<{ Bindings: Env }>): Promise<{ restaurantId: string; agentId: string; timestamp: string; signature: string }> {
  const agentId = c.req.header(AGENT_ID_HEADER) ?? "";
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(agentId)) throw unauthorized("unknown_agent", `missing or malformed ${AGENT_ID_HEADER}`);
  const signature = parseSignature(c.req.header(SIGNATURE_HEADER));
  if (!signature) throw unauthorized("bad_signature", `missing or malformed ${SIGNATURE_HEADER} (expected v1=<64 hex>)`);
  const now = Math.floor(Date.now() / 1000);
  const ts = checkTimestamp(c.req.header(TIMESTAMP_HEADER), now);
  if (!ts.ok) {
    const detail =
      ts.reason === "malformed"
        ? `missing or malformed ${TIMESTAMP_HEADER} (unix seconds)`
        : `timestamp is ${Math.abs(ts.skewSeconds ?? 0)} s ${ts.reason === "stale" ? "behind" : "ahead of"} the cloud's clock (server time ${now}); allowed skew is 300 s`;
    throw unauthorized("stale_timestamp", detail);
  }
  const restaurantId = await restaurantOfAgent(database(c.env.DB), agentId);
  if (!restaurantId) throw unauthorized("unknown_agent", "unknown agent");
  return { restaurantId, agentId, timestamp: c.req.header(TIMESTAMP_HEADER)!, signature: toHex(signature) };
}

async function signed(c: Context<{ Bindings: Env }>): Promise<{ restaurantId: string; req: SignedRequest }> {
  const p = await precheck(c);
  requireJsonContentType(c);
  const body = await readBodyLimited(c.req.raw, MIB);
  return {
    restaurantId: p.restaurantId,
    req: { agentId: p.agentId, timestamp: p.timestamp, signature: p.signature, body: body.buffer as ArrayBuffer },
  };
}

agentRoutes.post("/events", async (c) => {
  const { restaurantId, req } = await signed(c);
  const answer = await c.env.RESTAURANT.getByName(restaurantId).ingest(req);
  return c.json(answer.body, answer.status);
});

agentRoutes.post("/heartbeat", async (c) => {
  const { restaurantId, req } = await signed(c);
  const answer = await c.env.RESTAURANT.getByName(restaurantId).heartbeat(req);
  return c.json(answer.body, answer.status);
});

agentRoutes.get("/link", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "the link is a WebSocket: send Upgrade: websocket", undefined, { Upgrade: "websocket" });
  }
  const p = await precheck(c);
  // The object verifies the signature (empty body); it gets it in a header of its own.
  const headers = new Headers(c.req.raw.headers);
  headers.set("X-Agent-Signature-Hex", p.signature);
  return c.env.RESTAURANT.getByName(p.restaurantId).fetch(new Request(c.req.raw.url, { headers }));
});
