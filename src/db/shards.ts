/**
 * Where a restaurant's records live. D1 is split in two roles:
 *
 * - the **directory** (`DB`): small and global — accounts, restaurants,
 *   agents, chats and links, link codes, users, sessions, API keys, audit;
 * - **records** shards: what grows with traffic — the alert index and its
 *   deliveries, orders with their problems, payments and history. A
 *   restaurant's records all live in one shard, chosen by a stable hash of
 *   its id, so nothing about one restaurant is ever split.
 *
 * `RECORDS_SHARDS` (default 1) says how many; shard 0 is the directory
 * database itself, shard i > 0 is the binding `RECORDS_DB_<i>`. Every shard
 * has the same migrations applied (the tables of the other role stay empty).
 * docs/ARCHITECTURE.md has the numbers behind this.
 */
import type { Env } from "../env";
import { database, type Db } from "./client";

/** FNV-1a 32-bit: stable across runtimes and deploys, spreads ids evenly. */
export function shardIndex(restaurantId: string, shards: number): number {
  if (shards <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < restaurantId.length; i++) {
    h ^= restaurantId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

export function shardCount(env: Env): number {
  const n = Number(env.RECORDS_SHARDS ?? "1");
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function shardBinding(env: Env, index: number): D1Database {
  if (index === 0) return env.DB;
  const binding = env[`RECORDS_DB_${index}`];
  if (!binding) throw new Error(`RECORDS_SHARDS is ${shardCount(env)} but the D1 binding RECORDS_DB_${index} is missing`);
  return binding;
}

/** The records database of a restaurant. */
export function recordsDb(env: Env, restaurantId: string): Db {
  return database(shardBinding(env, shardIndex(restaurantId, shardCount(env))));
}

/** Every records shard (retention jobs, cross-restaurant lists). */
export function allRecordsDbs(env: Env): Db[] {
  return Array.from({ length: shardCount(env) }, (_, i) => database(shardBinding(env, i)));
}
