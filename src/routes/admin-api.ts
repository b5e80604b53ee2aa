/** The admin JSON API (CONTRACT §6): thin routes over src/services/provisioning. */
import { Hono } from "hono";
import { z } from "zod";
import type { Env } from "../env";
import { jsonBody, queryParams } from "../lib/body";
import { CreateAccount, CreateAgent, CreateLinkCode, CreateRestaurant, ExtendLicense, UpdateRestaurant } from "../protocol/admin";
import * as provisioning from "../services/provisioning";
import { journalPage, JournalQuery } from "../services/journal";
import { CreateApiKey } from "../protocol/orders";
import { createApiKey, listApiKeys, revokeApiKey } from "../services/orders-api-keys";
import { requireAdminToken } from "./admin-auth";

const ACTOR = "admin-api";

export const adminApi = new Hono<{ Bindings: Env }>();
adminApi.use(requireAdminToken);

adminApi.post("/accounts", async (c) => c.json(await provisioning.createAccount(c.env, await jsonBody(c, CreateAccount), ACTOR), 201));
adminApi.get("/accounts/:id", async (c) => c.json(await provisioning.getAccount(c.env, c.req.param("id"))));

adminApi.post("/restaurants", async (c) =>
  c.json(await provisioning.createRestaurant(c.env, await jsonBody(c, CreateRestaurant), ACTOR), 201),
);
adminApi.get("/restaurants", async (c) => {
  const { accountId } = queryParams(c, z.object({ accountId: z.string().optional() }));
  return c.json({ restaurants: await provisioning.listRestaurants(c.env, accountId) });
});
adminApi.get("/restaurants/:id", async (c) => c.json(await provisioning.restaurantView(c.env, c.req.param("id"))));
adminApi.patch("/restaurants/:id", async (c) => {
  await provisioning.updateRestaurant(c.env, c.req.param("id"), await jsonBody(c, UpdateRestaurant), ACTOR);
  return c.json(await provisioning.restaurantView(c.env, c.req.param("id")));
});
adminApi.get("/restaurants/:id/journal", async (c) =>
  c.json(await journalPage(c.env, c.req.param("id"), queryParams(c, JournalQuery))),
);

adminApi.post("/restaurants/:id/agents", async (c) =>
  c.json(await provisioning.createAgent(c.env, c.req.param("id"), await jsonBody(c, CreateAgent), ACTOR), 201),
);
adminApi.get("/restaurants/:id/agents", async (c) => c.json({ agents: await provisioning.listAgents(c.env, c.req.param("id")) }));
adminApi.post("/agents/:id/rotate-key", async (c) => c.json(await provisioning.rotateAgentKey(c.env, c.req.param("id"), ACTOR)));
adminApi.post("/agents/:id/revoke", async (c) => {
  await provisioning.revokeAgent(c.env, c.req.param("id"), ACTOR);
  return c.json({ revoked: true });
});
adminApi.post("/agents/:id/license", async (c) =>
  c.json(await provisioning.extendLicense(c.env, c.req.param("id"), await jsonBody(c, ExtendLicense), ACTOR)),
);

// The key is in this answer only; D1 keeps its hash.
adminApi.post("/api-keys", async (c) => c.json(await createApiKey(c.env, await jsonBody(c, CreateApiKey), ACTOR), 201));
adminApi.get("/api-keys", async (c) => {
  const { accountId } = queryParams(c, z.object({ accountId: z.string().min(1) }));
  return c.json({ apiKeys: await listApiKeys(c.env, accountId) });
});
adminApi.post("/api-keys/:id/revoke", async (c) => {
  await revokeApiKey(c.env, c.req.param("id"), ACTOR);
  return c.json({ revoked: true });
});

adminApi.post("/link-codes", async (c) => c.json(await provisioning.createLinkCode(c.env, await jsonBody(c, CreateLinkCode), ACTOR), 201));
