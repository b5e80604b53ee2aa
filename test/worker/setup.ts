import { applyD1Migrations, env } from "cloudflare:test";

// Every D1 database gets the same migrations (directory and records shards).
// Safe to run for every test file: only migrations not yet applied are applied.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.RECORDS_DB_1!, env.TEST_MIGRATIONS);
