/**
 * An append-only, crash-safe log of numbered records in segment files
 * (`seg-<first seq>.log`). `append` returns only after the bytes are fsynced;
 * readers only ever see fsynced bytes. Whole segments are deleted once their
 * owner no longer needs them. Used for the event spool and the r_keeper inbox.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { fsyncDir } from "../util/atomic-file";
import { checkRecordAt, encodeRecord, HEADER_BYTES, scanRecords, type Damage } from "./record";

export interface Segment {
  file: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
  /** Durable (fsynced) size in bytes. */
  size: number;
  /** No more appends go here (rotated). */
  sealed?: boolean;
}

export interface JournalRecord {
  seq: number;
  payload: Buffer;
}

export interface OpenReport {
  /** Bytes cut off the end of the last segment (a torn write). */
  truncatedTailBytes: number;
  /** Damaged stretches skipped inside segments, with the file they are in. */
  damaged: Array<Damage & { file: string }>;
  /** Files that were not readable at all and were set aside. */
  setAside: string[];
}

export interface JournalOptions {
  segmentBytes?: number;
  /** The first seq to use when the journal is empty (e.g. acked floor + 1). */
  minNextSeq?: number;
  /** Called with every record's payload at open (e.g. to rebuild an id index). */
  onRecordAtOpen?: (seq: number, payload: Buffer) => void;
}

const SEGMENT_RE = /^seg-(\d{16})\.log$/;
const segName = (seq: number) => `seg-${String(seq).padStart(16, "0")}.log`;

export class Journal {
  private segments: Segment[] = [];
  private active: fs.FileHandle | null = null;
  private nextSeqValue: number;
  private chain: Promise<unknown> = Promise.resolve();
  /** Where the last sequential read stopped, so the next one need not rescan the segment. */
  private cursor: { file: string; seq: number; offset: number } | null = null;
  readonly segmentBytes: number;

  private constructor(
    readonly dir: string,
    opts: JournalOptions,
    readonly openReport: OpenReport,
  ) {
    this.segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024;
    this.nextSeqValue = Math.max(1, opts.minNextSeq ?? 1);
  }

  static async open(dir: string, opts: JournalOptions = {}): Promise<Journal> {
    await fs.mkdir(dir, { recursive: true });
    const report: OpenReport = { truncatedTailBytes: 0, damaged: [], setAside: [] };
    const j = new Journal(dir, opts, report);
    const names = (await fs.readdir(dir)).filter((n) => SEGMENT_RE.test(n)).sort();
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const file = path.join(dir, name);
      const buf = await fs.readFile(file);
      const scan = scanRecords(buf);
      for (const d of scan.damaged) report.damaged.push({ ...d, file: name });
      const isLast = i === names.length - 1;
      if (scan.tailBytes > 0) {
        if (isLast) {
          // A torn write at the end of the active segment: cut it so new
          // records follow the last good one.
          await fs.truncate(file, scan.goodEnd);
          report.truncatedTailBytes += scan.tailBytes;
        } else {
          report.damaged.push({ at: scan.goodEnd, bytes: scan.tailBytes, reason: scan.tailReason ?? "torn", file: name });
        }
      }
      if (scan.records.length === 0) {
        if (buf.length > 0 && !isLast) report.setAside.push(name);
        await fs.rm(file, { force: true });
        continue;
      }
      for (const r of scan.records) opts.onRecordAtOpen?.(r.seq, buf.subarray(r.start, r.end));
      const first = scan.records[0]!.seq;
      const last = scan.records[scan.records.length - 1]!.seq;
      j.segments.push({ file, firstSeq: first, lastSeq: last, count: scan.records.length, size: isLast ? scan.goodEnd : buf.length });
      j.nextSeqValue = Math.max(j.nextSeqValue, last + 1);
    }
    await fsyncDir(dir);
    return j;
  }

  get nextSeq(): number {
    return this.nextSeqValue;
  }

  /** Bytes on disk across all segments. */
  get totalBytes(): number {
    return this.segments.reduce((s, g) => s + g.size, 0);
  }

  get segmentList(): readonly Segment[] {
    return this.segments;
  }

  get firstSeq(): number | undefined {
    return this.segments[0]?.firstSeq;
  }

  get lastSeq(): number | undefined {
    return this.segments[this.segments.length - 1]?.lastSeq;
  }

  /** Appends payloads with consecutive seqs; resolves with those seqs after one fsync. */
  append(payloads: Uint8Array[]): Promise<number[]> {
    return this.serial(async () => {
      if (payloads.length === 0) return [];
      const seqs: number[] = [];
      const parts: Buffer[] = [];
      for (const p of payloads) {
        const seq = this.nextSeqValue++;
        seqs.push(seq);
        parts.push(encodeRecord(seq, p));
      }
      const bytes = Buffer.concat(parts);
      const seg = await this.activeSegment(seqs[0]!);
      try {
        await this.active!.write(bytes, 0, bytes.length, seg.size);
        await this.active!.sync();
      } catch (e) {
        // The write may be partly on disk: cut back to the last durable size so
        // the next append does not land after garbage, and give the seqs back.
        await this.active!.truncate(seg.size).catch(() => {});
        this.nextSeqValue = seqs[0]!;
        throw e;
      }
      if (seg.count === 0) seg.firstSeq = seqs[0]!;
      seg.lastSeq = seqs[seqs.length - 1]!;
      seg.count += seqs.length;
      seg.size += bytes.length;
      return seqs;
    });
  }

  private async activeSegment(firstSeq: number): Promise<Segment> {
    let seg = this.segments[this.segments.length - 1];
    const usable = seg && !seg.sealed && seg.size < this.segmentBytes;
    if (seg && usable && this.active) return seg;
    if (seg && usable && !this.active) {
      this.active = await fs.open(seg.file, "r+");
      return seg;
    }
    await this.active?.close();
    this.active = null;
    const file = path.join(this.dir, segName(firstSeq));
    this.active = await fs.open(file, "w+");
    await fsyncDir(this.dir);
    seg = { file, firstSeq, lastSeq: firstSeq - 1, count: 0, size: 0 };
    this.segments.push(seg);
    return seg;
  }

  /**
   * Records with seq ≥ `fromSeq`, in order, at most `maxCount` of them and, past
   * the first, at most `maxBytes` of payload.
   */
  read(fromSeq: number, maxCount: number, maxBytes: number): Promise<JournalRecord[]> {
    return this.serial(async () => {
      const out: JournalRecord[] = [];
      let bytes = 0;
      let want = fromSeq;
      for (const seg of this.segments) {
        if (out.length >= maxCount) break;
        if (seg.count === 0 || seg.lastSeq < want) continue;
        const isActive = seg === this.segments[this.segments.length - 1] && this.active !== null;
        const fh = isActive ? this.active! : await fs.open(seg.file, "r");
        try {
          let offset = await this.offsetOf(fh, seg, want);
          while (offset < seg.size && out.length < maxCount) {
            const window = Math.min(seg.size - offset, Math.max(maxBytes - bytes, 0) + HEADER_BYTES + 64 * 1024);
            const buf = Buffer.allocUnsafe(window);
            await fh.read(buf, 0, window, offset);
            const first = checkRecordAt(buf, 0);
            if (!first.ok) {
              if (first.reason === "incomplete" && window >= HEADER_BYTES && window < seg.size - offset) {
                // One record larger than the window: read exactly that record.
                const big = Buffer.allocUnsafe(HEADER_BYTES + buf.readUInt32LE(4));
                await fh.read(big, 0, big.length, offset);
                const rb = checkRecordAt(big, 0);
                if (rb.ok) {
                  if (rb.ref.seq >= want) {
                    if (out.length > 0 && bytes + big.length - HEADER_BYTES > maxBytes) return this.stop(out, seg, rb.ref.seq, offset);
                    out.push({ seq: rb.ref.seq, payload: big.subarray(HEADER_BYTES) });
                    bytes += big.length - HEADER_BYTES;
                  }
                  offset += big.length;
                  continue;
                }
              }
              offset = await this.resync(fh, seg, offset);
              continue;
            }
            let pos = 0;
            while (pos < window && out.length < maxCount) {
              const r = checkRecordAt(buf, pos);
              if (!r.ok) break; // a record crossing the window edge, or damage: the outer loop handles it
              const len = r.ref.end - r.ref.start;
              if (r.ref.seq >= want) {
                if (out.length > 0 && bytes + len > maxBytes) return this.stop(out, seg, r.ref.seq, offset + pos);
                out.push({ seq: r.ref.seq, payload: Buffer.from(buf.subarray(r.ref.start, r.ref.end)) });
                bytes += len;
              }
              pos = r.ref.end;
            }
            offset += pos;
          }
          const last = out[out.length - 1];
          if (last) {
            want = last.seq + 1;
            this.cursor = { file: seg.file, seq: want, offset };
          }
        } finally {
          if (fh !== this.active) await fh.close();
        }
      }
      return out;
    });
  }

  private stop(out: JournalRecord[], seg: Segment, nextSeq: number, offset: number): JournalRecord[] {
    this.cursor = { file: seg.file, seq: nextSeq, offset };
    return out;
  }

  /** Offset of the next good record after damaged bytes at `offset`, or the segment end. */
  private async resync(fh: fs.FileHandle, seg: Segment, offset: number): Promise<number> {
    const rest = Buffer.allocUnsafe(seg.size - offset - 1);
    await fh.read(rest, 0, rest.length, offset + 1);
    const found = scanRecords(rest, 1).records[0];
    return found ? offset + 1 + found.offset : seg.size;
  }

  /** Byte offset of the first record with seq ≥ `seq` in `seg` (scans from the start unless the cursor helps). */
  private async offsetOf(fh: fs.FileHandle, seg: Segment, seq: number): Promise<number> {
    if (seq <= seg.firstSeq) return 0;
    if (this.cursor && this.cursor.file === seg.file && this.cursor.seq <= seq) {
      if (this.cursor.seq === seq) return this.cursor.offset;
      return this.skipTo(fh, seg, seq, this.cursor.offset);
    }
    return this.skipTo(fh, seg, seq, 0);
  }

  private async skipTo(fh: fs.FileHandle, seg: Segment, seq: number, from: number): Promise<number> {
    const buf = Buffer.allocUnsafe(seg.size - from);
    await fh.read(buf, 0, buf.length, from);
    for (const r of scanRecords(buf).records) if (r.seq >= seq) return from + r.offset;
    return seg.size;
  }

  /** Deletes every segment whose records all have seq ≤ `seq`. Returns how many records went. */
  dropThrough(seq: number): Promise<number> {
    return this.serial(async () => {
      let dropped = 0;
      while (this.segments.length > 0 && this.segments[0]!.lastSeq <= seq) {
        const seg = this.segments[0]!;
        const isActive = this.segments.length === 1;
        if (isActive) {
          await this.active?.close();
          this.active = null;
        }
        await fs.rm(seg.file, { force: true });
        dropped += seg.count;
        this.segments.shift();
        if (this.cursor?.file === seg.file) this.cursor = null;
      }
      if (dropped > 0) await fsyncDir(this.dir);
      return dropped;
    });
  }

  /** Deletes the oldest segment regardless of acknowledgement (disk-full relief). */
  dropOldest(): Promise<Segment | null> {
    return this.serial(async () => {
      if (this.segments.length < 2) return null; // never the active one
      const seg = this.segments.shift()!;
      await fs.rm(seg.file, { force: true });
      if (this.cursor?.file === seg.file) this.cursor = null;
      await fsyncDir(this.dir);
      return seg;
    });
  }

  /** Starts a new segment at the next append (so the current one can be dropped whole). */
  rotate(): Promise<void> {
    return this.serial(async () => {
      await this.active?.close();
      this.active = null;
      const last = this.segments[this.segments.length - 1];
      if (last) last.sealed = true;
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      await this.active?.close();
      this.active = null;
    });
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.chain.then(f, f);
    this.chain = run.catch(() => {});
    return run;
  }
}
