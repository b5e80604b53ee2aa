/**
 * Which restaurant an agent belongs to. The mapping never changes once an
 * agent exists, so it is cached for the life of the isolate: after the first
 * request an agent's traffic goes straight to its restaurant's object
 * without touching D1. Unknown ids are not cached (agents are created all
 * the time) and never reach an object.
 */
import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { agents } from "./schema";

const MAX_ENTRIES = 20_000;
const cache = new Map<string, string>();

export async function restaurantOfAgent(db: Db, agentId: string): Promise<string | null> {
  const hit = cache.get(agentId);
  if (hit) return hit;
  const [row] = await db.select({ restaurantId: agents.restaurantId }).from(agents).where(eq(agents.id, agentId));
  if (!row) return null;
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(agentId, row.restaurantId);
  return row.restaurantId;
}
