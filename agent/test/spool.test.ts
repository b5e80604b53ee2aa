/**
 * The spool is what makes "nothing accepted is ever lost" true on the cash
 * server: events are on disk before anyone is told they were received, and
 * leave only when the cloud's ackSeq covers them.
 */
import { appendFile, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Spool, type SpoolOptions } from "../src/spool/spool";
import { newEvent, tempDir } from "./helpers";

const opts = (extra: Partial<SpoolOptions> = {}): SpoolOptions => ({ maxBytes: 64 * 1024 * 1024, warnBytes: 32 * 1024 * 1024, now: () => 1000, ...extra });
const ids = (batch: Array<{ json: string }>) => batch.map((e) => (JSON.parse(e.json) as { id: string }).id);

describe("spool", () => {
  it("numbers events consecutively and hands them out in order", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, opts());
    const seqs = await spool.append([newEvent("a"), newEvent("b"), newEvent("c")]);
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect(seqs[2]).toBe(seqs[0]! + 2);
    const batch = await spool.readBatch(0, 10, 1024 * 1024);
    expect(ids(batch)).toEqual(["a", "b", "c"]);
    expect(batch.map((e) => e.seq)).toEqual(seqs);
    expect((JSON.parse(batch[0]!.json) as { seq: number }).seq).toBe(seqs[0]);
    await spool.close();
  });

  it("keeps every event across a restart, with seq continuing where it stopped", async () => {
    const dir = await tempDir();
    const first = await Spool.open(dir, opts());
    const seqs = await first.append([newEvent("a"), newEvent("b")]);
    await first.close();

    const again = await Spool.open(dir, opts({ now: () => 9_999_999 }));
    expect(ids(await again.readBatch(0, 10, 1 << 20))).toEqual(["a", "b"]);
    const [next] = await again.append([newEvent("c")]);
    expect(next).toBe(seqs[1]! + 1);
    await again.close();
  });

  it("forgets what ackSeq covers, and after a restart never hands it out again", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, opts({ segmentBytes: 200 }));
    const seqs = await spool.append(["a", "b", "c", "d"].map((id) => newEvent(id)));
    await spool.ack(seqs[1]!);
    expect(ids(await spool.readBatch(0, 10, 1 << 20))).toEqual(["c", "d"]);
    expect((await spool.stats()).pending).toBe(2);
    await spool.close();

    const again = await Spool.open(dir, opts());
    expect(ids(await again.readBatch(0, 10, 1 << 20))).toEqual(["c", "d"]);
    await again.ack(seqs[3]!);
    expect(await again.readBatch(0, 10, 1 << 20)).toEqual([]);
    const [next] = await again.append([newEvent("e")]);
    expect(next).toBe(seqs[3]! + 1);
    await again.close();
    // Acknowledged segments are deleted from disk, not just skipped.
    const files = await readdir(path.join(dir, "events"));
    expect(files.length).toBeLessThanOrEqual(1);
  });

  it("ignores an ackSeq that is older than what it already has or beyond anything it ever spooled", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, opts());
    const seqs = await spool.append([newEvent("a"), newEvent("b")]);
    await spool.ack(seqs[0]!);
    await spool.ack(seqs[0]! - 5);
    expect(spool.ackedSeq).toBe(seqs[0]);
    await spool.ack(seqs[1]! + 1000);
    expect(spool.ackedSeq).toBe(seqs[1]);
    const [c] = await spool.append([newEvent("c")]);
    expect(c).toBe(seqs[1]! + 1);
    expect(ids(await spool.readBatch(0, 10, 1 << 20))).toEqual(["c"]);
    await spool.close();
  });

  it("spools an event id only once (the POS resending the same fact)", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, opts());
    const [a] = await spool.append([newEvent("a")]);
    const again = await spool.append([newEvent("a"), newEvent("b"), newEvent("b")]);
    expect(again[0]).toBe(a);
    expect(ids(await spool.readBatch(0, 10, 1 << 20))).toEqual(["a", "b"]);
    await spool.close();
    // …also after a restart.
    const reopened = await Spool.open(dir, opts());
    await reopened.append([newEvent("a")]);
    expect(ids(await reopened.readBatch(0, 10, 1 << 20))).toEqual(["a", "b"]);
    await reopened.close();
  });

  it("cuts a torn record at the end (power cut mid-write) and keeps everything before it", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, opts());
    const seqs = await spool.append([newEvent("a"), newEvent("b")]);
    await spool.close();
    const [seg] = await readdir(path.join(dir, "events"));
    const file = path.join(dir, "events", seg!);
    const whole = await readFile(file);
    // Half of a third record: header and a few payload bytes.
    await appendFile(file, whole.subarray(0, 30));

    const warnings: string[] = [];
    const again = await Spool.open(dir, opts({ onWarning: (code) => warnings.push(code) }));
    expect(warnings).toEqual(["spool_damaged"]);
    expect(ids(await again.readBatch(0, 10, 1 << 20))).toEqual(["a", "b"]);
    const [c] = await again.append([newEvent("c")]);
    expect(c).toBe(seqs[1]! + 1);
    await again.close();
    const third = await Spool.open(dir, opts());
    expect(ids(await third.readBatch(0, 10, 1 << 20))).toEqual(["a", "b", "c"]);
    await third.close();
  });

  it("skips a damaged record in the middle and keeps the intact ones on both sides", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, opts());
    await spool.append([newEvent("a")]);
    await spool.append([newEvent("b")]);
    await spool.append([newEvent("c")]);
    await spool.close();
    const [seg] = await readdir(path.join(dir, "events"));
    const file = path.join(dir, "events", seg!);
    const buf = await readFile(file);
    // Flip a byte inside b's payload.
    const at = buf.indexOf('"b"');
    buf[at + 1] = "x".charCodeAt(0);
    await writeFile(file, buf);

    const warnings: string[] = [];
    const again = await Spool.open(dir, opts({ onWarning: (code) => warnings.push(code) }));
    expect(warnings).toEqual(["spool_damaged"]);
    // A batch is a contiguous run (its first seq is the batch's floorSeq), so
    // the events on either side of the hole come in two batches.
    const before = await again.readBatch(0, 10, 1 << 20);
    const after = await again.readBatch(before[before.length - 1]!.seq, 10, 1 << 20);
    expect(ids(before)).toEqual(["a"]);
    expect(ids(after)).toEqual(["c"]);
    expect(after[0]!.seq).toBe(before[0]!.seq + 2);
    await again.close();
  });

  it("reads batches within the count and byte limits", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, opts());
    await spool.append(Array.from({ length: 30 }, (_, i) => newEvent(`e${i}`, { data: { pad: "x".repeat(100) } })));
    expect((await spool.readBatch(0, 7, 1 << 20)).length).toBe(7);
    const byBytes = await spool.readBatch(0, 500, 1000);
    const total = byBytes.reduce((n, e) => n + Buffer.byteLength(e.json), 0);
    expect(byBytes.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(1000);
    // A batch after a given seq continues from there.
    const first = await spool.readBatch(0, 5, 1 << 20);
    const next = await spool.readBatch(first[4]!.seq, 5, 1 << 20);
    expect(next[0]!.seq).toBe(first[4]!.seq + 1);
    await spool.close();
  });

  it("warns once when it grows past the threshold, and past the limit drops the oldest to keep the newest", async () => {
    const dir = await tempDir();
    const warnings: string[] = [];
    const spool = await Spool.open(dir, opts({ warnBytes: 3000, maxBytes: 6000, segmentBytes: 1500, onWarning: (c) => warnings.push(c) }));
    for (let i = 0; i < 60; i++) await spool.append([newEvent(`e${i}`, { data: { pad: "x".repeat(100) } })]);
    expect(warnings.filter((w) => w === "spool_high")).toHaveLength(1);
    expect(warnings).toContain("spool_overflow");
    const s = await spool.stats();
    expect(s.bytes).toBeLessThanOrEqual(6000);
    expect(s.dropped).toBeGreaterThan(0);
    const left = ids(await spool.readBatch(0, 500, 1 << 20));
    expect(left[left.length - 1]).toBe("e59");
    expect(left).not.toContain("e0");
    await spool.close();
  });

  it("never reuses a seq after its state file is lost: a fresh spool numbers from the clock in ms", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, opts({ now: () => 5000 }));
    const [a] = await spool.append([newEvent("a")]);
    await spool.ack(a!);
    await spool.close();
    await writeFile(path.join(dir, "state.json"), "{garbage");
    const again = await Spool.open(dir, opts({ now: () => 6000 }));
    const [b] = await again.append([newEvent("b")]);
    expect(b).toBeGreaterThan(a!);
    await again.close();
    expect((await stat(path.join(dir, "state.json"))).size).toBeGreaterThan(0);
  });
});
