/**
 * Every setting of the agent, in one table: its command-line flag, its
 * environment variable, its JSON key (the camelCase name) and its zod type.
 * The config schema and `--help` are both generated from this table, so a new
 * setting cannot be documented in one place and missing in another.
 */
import { z } from "zod";
import { REPORT_KINDS } from "../../../src/protocol/report";
import { AGENT_EVENT_TYPES } from "../../../src/protocol/events";
import { isValidTimeZone } from "../util/zoned-time";

export type Group = "cloud" | "agent" | "simulator" | "rkeeper7";

export interface OptionSpec {
  key: string;
  flag: string;
  env: string;
  group: Group;
  help: string;
  schema: z.ZodType;
  /** Shown as the value placeholder in --help. */
  arg: string;
  secret?: boolean;
  /** Only in the JSON file (structured values). */
  jsonOnly?: boolean;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const timeZone = z.string().refine(isValidTimeZone, "not an IANA time zone (e.g. Europe/Moscow)");
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ""));

const defaultSpool = () => (process.platform === "win32" ? "C:\\ProgramData\\Tillwatch\\spool" : ".tillwatch/spool");

const o = (key: string, flag: string, group: Group, arg: string, schema: z.ZodType, help: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  key,
  flag,
  env: "TILLWATCH_" + flag.replace(/^--/, "").replace(/-/g, "_").toUpperCase(),
  group,
  arg,
  schema,
  help,
  ...extra,
});

export const OPTIONS: OptionSpec[] = [
  o("url", "--url", "cloud", "<url>", httpUrl, "Cloud base URL, e.g. https://tillwatch.example.com"),
  o("agentId", "--agent-id", "cloud", "<id>", z.string().min(1).max(64), "Agent id given when the agent was created"),
  o("agentKey", "--agent-key", "cloud", "<key>", z.string().min(16).max(256), "Agent secret key (shown once at creation; never logged)", { secret: true }),
  o("source", "--source", "agent", "simulator|rkeeper7", z.enum(["simulator", "rkeeper7"]), "Where events come from"),
  o("spool", "--spool", "agent", "<dir>", z.string().min(1).default(defaultSpool()), `Directory for the durable spool and state (default ${defaultSpool()})`),
  o("config", "--config", "agent", "<file>", z.string().optional(), "JSON file with any of these settings (keys are the camelCase names)"),
  o("timezone", "--timezone", "agent", "<IANA zone>", timeZone.optional(), "Restaurant time zone, e.g. Europe/Moscow (default: from the cloud, else Europe/Moscow)"),
  o("currency", "--currency", "agent", "<ISO code>", z.string().regex(/^[A-Z]{3}$/).default("RUB"), "Currency of the POS amounts (default RUB)"),
  o("logLevel", "--log-level", "agent", "debug|info|warn|error", z.enum(["debug", "info", "warn", "error"]).default("info"), "Log verbosity (default info)"),
  o("logFile", "--log-file", "agent", "<file>", z.string().optional(), "Also append logs to this file"),
  o("heartbeatSeconds", "--heartbeat-seconds", "agent", "<n>", int(5, 3600).default(30), "Heartbeat interval until the cloud says otherwise (default 30)"),
  o("spoolMaxMb", "--spool-max-mb", "agent", "<n>", int(16, 1_000_000).default(1024), "Disk the spool may use; past it the oldest unsent events are dropped (default 1024)"),
  o("spoolWarnPercent", "--spool-warn-percent", "agent", "<n>", int(10, 100).default(80), "Warn (log + agent.warning) when the spool passes this share of its limit (default 80)"),
  o(
    "autoReports",
    "--auto-reports",
    "agent",
    "<kinds>",
    z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(REPORT_KINDS)))
      .default(["balance", "dishes", "hourly", "discounts", "deletions"]),
    "Reports sent as report.shift when the common shift closes (default balance,dishes,hourly,discounts,deletions)",
  ),
  o("speed", "--speed", "simulator", "<n>", z.coerce.number().positive().max(100_000).default(1), "Simulated seconds per real second (60 = an hour a minute; default 1)"),
  o("seed", "--seed", "simulator", "<n>", int(0, 2 ** 31 - 1).default(1), "Random seed; the same seed gives the same day (default 1)"),
  o("simStart", "--sim-start", "simulator", "<ISO time>", z.iso.datetime({ offset: true }).optional(), "Simulated time to start at (default: now)"),
  o("rk7Url", "--rk7-url", "rkeeper7", "https://<host>:<port>", httpUrl.optional(), "r_keeper cash server XML interface (its HTTP Data Port)"),
  o("rk7User", "--rk7-user", "rkeeper7", "<employee>", z.string().min(1).optional(), "r_keeper employee with the HTTP access right"),
  o("rk7Password", "--rk7-password", "rkeeper7", "<password>", z.string().min(1).optional(), "Password of that employee (never logged)", { secret: true }),
  o("notifyPort", "--notify-port", "rkeeper7", "<port>", int(0, 65535).default(13444), "Local port for r_keeper HTTP Order Notify (default 13444; 0 = any free port)"),
  o("notifyPath", "--notify-path", "rkeeper7", "</path>", z.string().regex(/^\/\S*$/).default("/rkevent"), "Path for HTTP Order Notify (default /rkevent)"),
  o("notifyHost", "--notify-host", "rkeeper7", "<address>", z.string().default("127.0.0.1"), "Address the notify receiver binds (default 127.0.0.1)"),
  o("rk7PollSeconds", "--rk7-poll-seconds", "rkeeper7", "<n>", int(2, 3600).default(15), "How often orders and receipts are reconciled over XML (default 15)"),
  o("rk7TimeoutSeconds", "--rk7-timeout-seconds", "rkeeper7", "<n>", int(2, 600).default(30), "Timeout of one XML interface request (default 30)"),
  o(
    "rk7TlsCiphers",
    "--rk7-tls-ciphers",
    "rkeeper7",
    "<openssl list>",
    z.string().default("DEFAULT@SECLEVEL=0"),
    "TLS ciphers for the cash server only (default DEFAULT@SECLEVEL=0: accepts its self-signed RSA-1024 certificate)",
  ),
  o("rk7CertSha256", "--rk7-cert-sha256", "rkeeper7", "<fingerprint>", z.string().regex(/^([0-9A-Fa-f]{2}:?){32}$/, "64 hex digits, colons allowed").optional(), "Pin the cash server's certificate (SHA-256 fingerprint); without it any certificate of --rk7-url is accepted"),
  o("rk7ExportTable", "--rk7-export-table", "rkeeper7", "<table code>", z.string().regex(/^\d+$/).optional(), "Table code for orders exported from the cloud (needs the XML SaveOrder licence); without it exports are refused"),
  o("rk7ExportOrderType", "--rk7-export-order-type", "rkeeper7", "<code>", z.string().regex(/^\d+$/).optional(), "Order type code for exported orders (default: r_keeper's default)"),
  o(
    "rk7OperMap",
    "--rk7-oper-map",
    "rkeeper7",
    "<json>",
    z
      .union([z.string().transform((s, ctx) => {
        try {
          return JSON.parse(s) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "not JSON" });
          return z.NEVER;
        }
      }), z.record(z.string(), z.unknown())])
      .pipe(z.record(z.string().regex(/^\d+$/, "keys are r_keeper operation ids"), z.enum([...AGENT_EVENT_TYPES, "ignore"])))
      .default({}),
    'Site-specific r_keeper operation id → event type, e.g. {"512":"check.annulled","263":"ignore"}',
  ),
];

export const OPTION_BY_FLAG = new Map(OPTIONS.map((s) => [s.flag, s]));
export const SECRET_KEYS = OPTIONS.filter((s) => s.secret).map((s) => s.key);
