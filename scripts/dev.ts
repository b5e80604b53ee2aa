/**
 * `npm run dev`: the Worker alone — wrangler dev with local D1 (migrations
 * applied), Durable Objects and alarms. Creates .dev.vars with random secrets
 * the first time.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const vars = path.join(root, ".dev.vars");
if (!existsSync(vars)) {
  const secret = () => randomBytes(24).toString("base64url");
  const text = readFileSync(path.join(root, ".dev.vars.example"), "utf8")
    .replace("change-me-admin-token", secret())
    .replace("change-me-a-long-random-secret-for-agent-keys", secret())
    .replace("change-me-webhook-secret", secret());
  writeFileSync(vars, text, { mode: 0o600 });
  console.log("created .dev.vars with random secrets (ADMIN_API_TOKEN is in it)");
}
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
const wrangler = path.join(root, "node_modules", ".bin", "wrangler");
const m = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local"], { cwd: root, env, stdio: "inherit" });
if (m.status !== 0) process.exit(m.status ?? 1);
const r = spawnSync(wrangler, ["dev", "--ip", "127.0.0.1", "--port", "8787", ...process.argv.slice(2)], { cwd: root, env, stdio: "inherit" });
process.exit(r.status ?? 0);
