/**
 * The agent's configuration: command-line flags, then environment variables,
 * then the JSON file named by `--config`, then defaults — validated by one zod
 * schema built from ./options.ts.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { OPTION_BY_FLAG, OPTIONS, type Group } from "./options";

const shape = Object.fromEntries(OPTIONS.map((s) => [s.key, s.schema])) as Record<string, z.ZodType>;

export const ConfigSchema = z
  .object(shape)
  .strict()
  .superRefine((c, ctx) => {
    if (c.source === "rkeeper7") {
      for (const [key, flag] of [
        ["rk7Url", "--rk7-url"],
        ["rk7User", "--rk7-user"],
        ["rk7Password", "--rk7-password"],
      ] as const) {
        if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: `${flag} is required with --source rkeeper7` });
      }
    }
    // Also when other settings are wrong: every problem in one message, not one per attempt.
  }, { when: (payload) => typeof payload.value === "object" && payload.value !== null });

export interface AgentConfig {
  url: string;
  agentId: string;
  agentKey: string;
  source: "simulator" | "rkeeper7";
  spool: string;
  config?: string;
  timezone?: string;
  currency: string;
  logLevel: "debug" | "info" | "warn" | "error";
  logFile?: string;
  heartbeatSeconds: number;
  spoolMaxMb: number;
  spoolWarnPercent: number;
  autoReports: Array<"balance" | "dishes" | "hourly" | "discounts" | "deletions" | "payments" | "employees">;
  speed: number;
  seed: number;
  simStart?: string;
  rk7Url?: string;
  rk7User?: string;
  rk7Password?: string;
  notifyPort: number;
  notifyPath: string;
  notifyHost: string;
  rk7PollSeconds: number;
  rk7TimeoutSeconds: number;
  rk7TlsCiphers: string;
  rk7OperMap: Record<string, string>;
  rk7CertSha256?: string;
  rk7ExportTable?: string;
  rk7ExportOrderType?: string;
}

export type ParsedArgs = { kind: "help" } | { kind: "version" } | { kind: "run"; values: Record<string, string> };

export class ConfigError extends Error {}

/** Reads `--flag value` / `--flag=value` pairs; unknown flags are an error. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (arg === "--version" || arg === "-v") return { kind: "version" };
    if (!arg.startsWith("--")) throw new ConfigError(`unexpected argument "${arg}" (flags start with --; see --help)`);
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const spec = OPTION_BY_FLAG.get(flag);
    if (!spec) throw new ConfigError(`unknown flag ${flag} (see --help)`);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith("--") && OPTION_BY_FLAG.has(value.split("=")[0]!))) throw new ConfigError(`${flag} needs a value`);
      i++;
    }
    values[spec.key] = value;
  }
  return { kind: "run", values };
}

/** Merges flags, environment and the JSON file, validates, and explains every problem in one error. */
export function loadConfig(flags: Record<string, string>, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const fromEnv: Record<string, string> = {};
  for (const s of OPTIONS) {
    const v = env[s.env];
    if (v !== undefined && v !== "") fromEnv[s.key] = v;
  }
  const file = flags.config ?? fromEnv.config;
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, "")) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("the file must hold a JSON object");
      fromFile = parsed as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`cannot read --config ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const merged = { ...fromFile, ...fromEnv, ...flags };
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = String(i.path[0] ?? "");
      const spec = OPTIONS.find((s) => s.key === key);
      const name = spec ? `${spec.flag} (${spec.env})` : key || "config";
      const message = i.code === "unrecognized_keys" ? `unknown setting(s) in the config file: ${i.keys.join(", ")}` : i.message;
      return `  ${name}: ${message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data as unknown as AgentConfig;
}

const GROUP_TITLES: Record<Group, string> = {
  cloud: "Cloud",
  agent: "Agent",
  simulator: "Simulator (--source simulator)",
  rkeeper7: "r_keeper 7 (--source rkeeper7)",
};

export function helpText(): string {
  const out = [
    "Tillwatch agent — sends what the POS does to the Tillwatch cloud.",
    "",
    "Usage: tillwatch-agent --url <cloud URL> --agent-id <id> --agent-key <key> --source simulator|rkeeper7 [options]",
    "",
    "Every flag can also be set by its environment variable or, without the leading dashes",
    "in camelCase, as a key of the JSON file given with --config. Flags win over the",
    "environment, the environment over the file.",
  ];
  for (const group of Object.keys(GROUP_TITLES) as Group[]) {
    out.push("", `${GROUP_TITLES[group]}:`);
    for (const s of OPTIONS.filter((x) => x.group === group)) {
      out.push(`  ${`${s.flag} ${s.arg}`.padEnd(40)} ${s.help}`);
      out.push(`  ${"".padEnd(40)} env ${s.env}, JSON "${s.key}"${s.secret ? " (secret)" : ""}`);
    }
  }
  out.push("", "  --help                                   This text", "  --version                                The agent version", "");
  return out.join("\n");
}
