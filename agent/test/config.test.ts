/**
 * The agent's settings: flags, then the environment, then the JSON file,
 * then defaults — one schema for all three — and the two secrets never
 * reach a log line.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, helpText, loadConfig, parseArgs } from "../src/config/config";
import { OPTIONS } from "../src/config/options";
import { addSecret, createLogger } from "../src/log";
import { tempDir } from "./helpers";

const KEY = "agent-key-0123456789-abcdefghij";
const base = ["--url", "https://cloud.example.com/", "--agent-id", "agt_1", "--agent-key", KEY, "--source", "simulator"];

function flags(argv: string[]): Record<string, string> {
  const p = parseArgs(argv);
  if (p.kind !== "run") throw new Error(`not a run: ${p.kind}`);
  return p.values;
}

describe("agent configuration", () => {
  it("takes flags over the environment over the JSON file over the defaults", async () => {
    const file = path.join(await tempDir(), "agent.json");
    await writeFile(file, "\uFEFF" + JSON.stringify({ url: "https://file.example.com", agentId: "from-file", agentKey: KEY, source: "simulator", speed: 5, seed: 9, autoReports: ["balance", "payments"] }));
    const c = loadConfig(flags(["--config", file, "--speed", "60"]), { TILLWATCH_SEED: "42", TILLWATCH_AGENT_ID: "from-env" });
    expect(c).toMatchObject({ url: "https://file.example.com", agentId: "from-env", speed: 60, seed: 42, autoReports: ["balance", "payments"], heartbeatSeconds: 30, notifyPort: 13444, notifyPath: "/rkevent" });
  });

  it("accepts --flag=value, trims the URL's trailing slash and reads comma lists and JSON maps", () => {
    const c = loadConfig(flags([...base, "--auto-reports=hourly,deletions", "--rk7-oper-map", '{"512":"check.annulled","263":"ignore"}']), {});
    expect(c.url).toBe("https://cloud.example.com");
    expect(c.autoReports).toEqual(["hourly", "deletions"]);
    expect(c.rk7OperMap).toEqual({ "512": "check.annulled", "263": "ignore" });
  });

  it("explains every problem at once, naming the flag and its environment variable, never the secret's value", () => {
    let message = "";
    try {
      loadConfig(flags(["--url", "ftp://x", "--agent-key", KEY, "--source", "rkeeper7", "--rk7-password", "pw-secret-1"]), {});
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    for (const needle of ["--url (TILLWATCH_URL)", "--agent-id (TILLWATCH_AGENT_ID)", "--rk7-url is required", "--rk7-user is required"]) expect(message).toContain(needle);
    expect(message).not.toContain(KEY);
    expect(message).not.toContain("pw-secret-1");
  });

  it("refuses unknown flags, flags without a value and unknown keys in the file", async () => {
    expect(() => parseArgs(["--nope", "1"])).toThrow(/unknown flag --nope/);
    expect(() => parseArgs(["--url", "--agent-id", "x"])).toThrow(/--url needs a value/);
    const file = path.join(await tempDir(), "agent.json");
    await writeFile(file, JSON.stringify({ agentKey: KEY, sped: 5 }));
    expect(() => loadConfig(flags([...base, "--config", file]), {})).toThrow(/unknown setting\(s\) in the config file: sped/);
  });

  it("--help lists every setting with its environment variable and JSON key, and marks the secrets", () => {
    const text = helpText();
    for (const o of OPTIONS) {
      expect(text).toContain(o.flag);
      expect(text).toContain(`env ${o.env}, JSON "${o.key}"${o.secret ? " (secret)" : ""}`);
    }
    expect(OPTIONS.filter((o) => o.secret).map((o) => o.key)).toEqual(["agentKey", "rk7Password"]);
  });

  it("masks a registered secret wherever it appears in a log line, fields and errors included", () => {
    addSecret(KEY);
    const lines: string[] = [];
    const log = createLogger({ level: "debug", write: (l) => lines.push(l) });
    log.error(`refused: ${KEY}`, { url: `https://x/?k=${KEY}`, error: new Error(`bad key ${KEY}`) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(KEY);
    expect(lines[0]!.match(/\*\*\*/g)).toHaveLength(3);
  });
});
