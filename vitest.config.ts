import path from "node:path";
import { defineConfig } from "vitest/config";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { fakeTelegramPort } from "./test/fake-telegram/port.ts";

const root = import.meta.dirname;
const migrations = await readD1Migrations(path.join(root, "migrations"));
// Every Worker test talks to the fake Bot API (test/fake-telegram/server.ts).
const telegramPort = await fakeTelegramPort();

export default defineConfig({
  test: {
    projects: [
      {
        // Pure domain code and the agent: plain Node, fast.
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "agent/test/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        // The Worker and its Durable Objects inside workerd.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // Two records shards, so every test runs the sharded path (src/db/shards.ts).
              d1Databases: ["RECORDS_DB_1"],
              bindings: {
                RECORDS_SHARDS: "2",
                TEST_MIGRATIONS: migrations,
                ADMIN_API_TOKEN: "test-admin-token",
                ADMIN_EMAIL: "admin@tillwatch.test",
                ADMIN_PASSWORD: "test-admin-password",
                AGENT_KEY_SECRET: "test-agent-key-secret-0123456789abcdef",
                TELEGRAM_WEBHOOK_SECRET: "test-webhook-secret",
                TELEGRAM_BOT_TOKEN: "123456:fake-test-token",
                TELEGRAM_API_ROOT: `http://127.0.0.1:${telegramPort}`,
                // Short, so the "agent did not answer" path is tested without waiting 30 s.
                REPORT_TIMEOUT_MS: "1500",
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/setup.ts"],
          globalSetup: ["./test/fake-telegram/global-setup.ts"],
        },
      },
      {
        // The admin page in a real headless Chromium (Debian's /usr/bin/chromium) against `wrangler dev`.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
