import { applyD1Migrations, env } from "cloudflare:test";

// Safe to run for every test file: only migrations not yet applied are applied.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
