/**
 * One-line logs to stderr (and optionally a file): time, level, message,
 * fields as JSON. Secrets registered with `addSecret` are masked wherever they
 * appear, so a key pasted into an error body or a URL never reaches a log.
 */
import { appendFileSync } from "node:fs";

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export interface LogSink {
  level: LogLevel;
  file?: string;
  /** Replaces stderr, e.g. to capture logs in tests. */
  write?: (line: string) => void;
}

const secrets = new Set<string>();

/** Masks `value` in every log line from now on (values shorter than 4 chars are ignored). */
export function addSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join("***");
  return out;
}

export function createLogger(sink: LogSink, scope = "agent"): Logger {
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[sink.level]) return;
    let extra = "";
    if (fields && Object.keys(fields).length > 0) {
      try {
        extra = " " + JSON.stringify(fields, errorReplacer);
      } catch {
        extra = " [unserialisable fields]";
      }
    }
    const line = redact(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${msg}${extra}`);
    if (sink.write) sink.write(line);
    else process.stderr.write(line + "\n");
    if (sink.file) {
      try {
        appendFileSync(sink.file, line + "\n");
      } catch {
        /* a full disk must not take the agent down */
      }
    }
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (s) => createLogger(sink, `${scope}/${s}`),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as NodeJS.ErrnoException).code };
  return value;
}

/** A logger that drops everything (tests that do not care). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
