/**
 * The one-file agent (`npm run agent:build`) is what a dealer copies to the
 * cash server: it must run with plain Node and nothing beside it — no
 * node_modules, no package.json — and do the whole job, not just print help.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPTIONS } from "../src/config/options";
import { AGENT_VERSION } from "../src/version";
import { AGENT_ID, AGENT_KEY, FakeCloud, until } from "./fake-cloud";
import { tempDir } from "./helpers";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NAME = "tillwatch-agent.cjs";
let bundle = "";
const dirs: string[] = [];
/** Lives for the whole file (the helpers' tempDir is removed after each test). */
function fileDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** An environment with nothing of ours in it: no TILLWATCH_* settings, no module paths. */
function bareEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TILLWATCH_") && k !== "NODE_PATH" && k !== "NODE_OPTIONS") env[k] = v;
  return env;
}

function runBundle(args: string[]) {
  return spawnSync(process.execPath, [bundle, ...args], { cwd: path.dirname(bundle), env: bareEnv(), encoding: "utf8", timeout: 30_000 });
}

beforeAll(() => {
  const built = path.join(fileDir("tw-bundle-build-"), NAME);
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/build-agent.mjs"), "--outfile", built], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  // A directory of its own, as on the cash server: nothing to resolve modules from.
  const lonely = fileDir("tw-bundle-run-");
  bundle = path.join(lonely, NAME);
  copyFileSync(built, bundle);
}, 90_000);

describe("the one-file agent build", () => {
  it("runs --help with plain Node and no node_modules, listing every setting with its environment variable", () => {
    const r = runBundle(["--help"]);
    expect(r.status, r.stderr).toBe(0);
    for (const o of OPTIONS) {
      expect(r.stdout).toContain(o.flag);
      expect(r.stdout).toContain(o.env);
    }
  });

  it("prints its version", () => {
    const r = runBundle(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(AGENT_VERSION);
  });

  it("refuses a bad configuration with exit code 2 and the reason, without echoing the key", () => {
    const key = "do-not-print-this-key-0123456789";
    const r = runBundle(["--url", "not a url", "--agent-id", "a1", "--agent-key", key, "--source", "simulator"]);
    expect(r.status).toBe(2);
    // In words (zod's English messages survive the bundle trimming its locales).
    expect(r.stderr).toMatch(/--url \(TILLWATCH_URL\): .*url/i);
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  describe("against a cloud", () => {
    let cloud: FakeCloud;
    beforeAll(async () => {
      cloud = await FakeCloud.start();
    });
    afterAll(async () => {
      await cloud.stop();
    });

    it("sends simulated events, heartbeats and holds the link; stops cleanly on SIGTERM without printing the key", async () => {
      const spool = await tempDir("tw-bundle-spool-");
      const child = spawn(
        process.execPath,
        [bundle, "--source", "simulator", "--speed", "3600", "--sim-start", "2026-11-23T12:00:00+03:00", "--spool", spool, "--heartbeat-seconds", "5"],
        // Settings from the environment, as a Windows service would pass them.
        { cwd: path.dirname(bundle), env: { ...bareEnv(), TILLWATCH_URL: cloud.url, TILLWATCH_AGENT_ID: AGENT_ID, TILLWATCH_AGENT_KEY: AGENT_KEY }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let output = "";
      child.stdout.on("data", (b: Buffer) => (output += b.toString()));
      child.stderr.on("data", (b: Buffer) => (output += b.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      try {
        await until(() => cloud.events.size >= 20 && cloud.heartbeats.length >= 1 && cloud.linked >= 1, `events, a heartbeat and the link (agent said: ${output.slice(-2000)})`, 30_000);
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited).toBe(0);
      expect(output).toContain("stopped");
      expect(output).not.toContain(AGENT_KEY);
      expect([...cloud.events.values()].every((e) => e.id.length > 0 && Number.isInteger(e.seq))).toBe(true);
    }, 45_000);
  });
});
