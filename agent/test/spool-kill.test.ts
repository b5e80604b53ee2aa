/**
 * The spool when the agent is killed in the middle of writing (task manager,
 * a crash, the service wrapper's TerminateProcess): a real child process
 * appends as fast as it can and is SIGKILLed at an arbitrary moment. What it
 * reported durable must all be there after a restart, in order, and the
 * numbering goes on from where it stopped.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Spool } from "../src/spool/spool";
import { until } from "./fake-cloud";
import { tempDir } from "./helpers";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WRITER = path.join(import.meta.dirname, "fixtures/spool-writer.ts");

/** Runs the writer until it has reported `atLeast` batches, kills it, and returns the last batch it reported. */
async function writeAndKill(dir: string, atLeast: number): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  const exited = new Promise((r) => child.once("exit", r));
  const reported = () => out.split("\n").filter(Boolean).length;
  try {
    await until(() => reported() >= atLeast || child.exitCode !== null, "the writer to report batches", 30_000);
  } finally {
    child.kill("SIGKILL");
  }
  await exited;
  expect(err).toBe("");
  // Only whole lines count: a line cut by the kill was not reported.
  const lines = out.split("\n");
  return Number(lines[lines.length - 2]);
}

/** Ids the writer put in batch `i` (1 to 5 events, see fixtures/spool-writer.ts). */
const batchIds = (i: number) => Array.from({ length: 1 + (i % 5) }, (_, j) => `b${i}-${j}`);

describe("spool killed mid-write", () => {
  it("keeps everything reported durable, in order, and numbers on after the restart — three kills in a row", async () => {
    const dir = await tempDir();
    let lastReported = -1;
    for (let round = 1; round <= 3; round++) {
      // Each round the writer starts again at batch 0 with the same ids: the
      // spool must recognise those already spooled and not store them twice.
      lastReported = Math.max(lastReported, await writeAndKill(dir, 150 * round));

      const spool = await Spool.open(dir, { maxBytes: 1 << 30, warnBytes: 1 << 30 });
      const events = await spool.readBatch(0, 1_000_000, 1 << 30);
      const ids = events.map((e) => JSON.parse(e.json).id as string);
      const expected = Array.from({ length: lastReported + 1 }, (_, i) => batchIds(i)).flat();
      // What was reported is there, first and in order; at most the batch being written when killed follows.
      expect(ids.slice(0, expected.length)).toEqual(expected);
      expect(ids.length - expected.length).toBeLessThanOrEqual(5);
      expect(new Set(ids).size).toBe(ids.length);
      const seqs = events.map((e) => e.seq);
      expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1)).toBe(true);
      expect(spool.nextSeq).toBe(seqs[seqs.length - 1]! + 1);
      await spool.close();
    }
  }, 90_000);
});
