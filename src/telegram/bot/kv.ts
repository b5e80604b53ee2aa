/** The D1 `kv` table: small values the bot keeps across isolates (its getMe answer, the command-menu version). */
import { eq } from "drizzle-orm";
import { database } from "../../db/client";
import { kv } from "../../db/schema";
import type { Env } from "../../env";

export async function kvGet(env: Env, key: string): Promise<string | null> {
  const [row] = await database(env.DB).select({ value: kv.value }).from(kv).where(eq(kv.key, key));
  return row?.value ?? null;
}

export async function kvPut(env: Env, key: string, value: string): Promise<void> {
  await database(env.DB)
    .insert(kv)
    .values({ key, value, updatedAt: Date.now() })
    .onConflictDoUpdate({ target: kv.key, set: { value, updatedAt: Date.now() } });
}
