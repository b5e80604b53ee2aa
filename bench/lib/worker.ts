/**
 * Starts the Worker locally (wrangler dev, local D1 with migrations applied,
 * Durable Objects, alarms) in a scratch state directory, for benchmarks and
 * the demo. Returns its URL and a stop function.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const WRANGLER = path.join(ROOT, "node_modules", ".bin", "wrangler");

export const DEFAULT_VARS: Record<string, string> = {
  ADMIN_API_TOKEN: "local-admin-token",
  AGENT_KEY_SECRET: "local-agent-key-secret-change-me-0123456789",
  TELEGRAM_WEBHOOK_SECRET: "local-webhook-secret",
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalWorker {
  url: string;
  port: number;
  stateDir: string;
  vars: Record<string, string>;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  vars?: Record<string, string>;
  port?: number;
  /** Keep state here (the demo keeps it between runs); default: a fresh temp dir removed on stop. */
  stateDir?: string;
  /** Print wrangler's output. */
  verbose?: boolean;
}

export async function startWorker(opts: StartOptions = {}): Promise<LocalWorker> {
  const vars = { ...DEFAULT_VARS, ...(opts.vars ?? {}) };
  const ownState = !opts.stateDir;
  const stateDir = opts.stateDir ?? mkdtempSync(path.join(tmpdir(), "tillwatch-"));
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };
  const migrate = spawnSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  const port = opts.port ?? (await freePort());
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", stateDir, "--log-level", "warn"];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(WRANGLER, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const onData = (b: Buffer) => {
    output += b.toString();
    if (opts.verbose) process.stderr.write(b);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a busy two-core CI machine the first start (bundling, workerd) is slow.
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
    // wrangler dev keeps running after a failed build, waiting for edits: fail at once instead.
    if (/Build failed|Could not resolve/.test(output)) {
      child.kill("SIGTERM");
      throw new Error(`the Worker does not build:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status < 500) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`wrangler dev did not start within 150 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    stateDir,
    vars,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      if (ownState) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Creates an account, a restaurant and an agent through the admin API (CONTRACT §6). */
export async function provision(
  url: string,
  adminToken: string,
  opts: { account?: string; restaurant?: string; timezone?: string; agent?: string } = {},
): Promise<{ accountId: string; restaurantId: string; agentId: string; agentKey: string }> {
  const call = async (p: string, body: unknown) => {
    const res = await fetch(url + p, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };
  const account = await call("/admin/api/accounts", { name: opts.account ?? "Bench Group" });
  const restaurant = await call("/admin/api/restaurants", {
    accountId: account.id,
    name: opts.restaurant ?? "Bench Bistro",
    timezone: opts.timezone ?? "Europe/Moscow",
  });
  const agent = await call(`/admin/api/restaurants/${restaurant.id}/agents`, { name: opts.agent ?? "Cash server 1" });
  return { accountId: account.id!, restaurantId: restaurant.id!, agentId: agent.agentId!, agentKey: agent.agentKey! };
}
