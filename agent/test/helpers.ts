/** Shared helpers for the agent's tests: temp dirs, events, a quiet logger. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import { createLogger, type Logger } from "../src/log";
import type { NewEvent } from "../src/spool/spool";

const dirs: string[] = [];

/** A fresh temporary directory, removed after the test. */
export async function tempDir(prefix = "tw-agent-"): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A spoolable contract event (`pos.started`, which needs no more fields) with a fixed id. */
export function newEvent(id: string, extra: Record<string, unknown> = {}): NewEvent {
  return {
    id,
    toJson: (seq) => JSON.stringify({ id, seq, type: "pos.started", occurredAt: "2026-11-22T18:03:11+03:00", ...extra }),
  };
}

/** A logger that keeps its lines for assertions instead of printing them. */
export function captureLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", write: (l) => lines.push(l) });
  return Object.assign(log, { lines });
}
