/**
 * The on-disk record of the spool and the r_keeper inbox:
 *
 *   magic "TW" (2) | version 1 (1) | reserved 0 (1) | payload length u32 LE (4)
 *   | seq u64 LE (8) | CRC-32 of seq+payload u32 LE (4) | payload
 *
 * Length and CRC let a reader tell a complete record from a torn write after a
 * power cut; the magic lets it find the next good record when bytes in the
 * middle of a file were damaged. Pure functions: no file access here.
 */
import { crc32 } from "../util/crc32";

export const HEADER_BYTES = 20;
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
const MAGIC0 = 0x54; // 'T'
const MAGIC1 = 0x57; // 'W'
const VERSION = 1;

export function encodeRecord(seq: number, payload: Uint8Array): Buffer {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`bad seq ${seq}`);
  if (payload.length > MAX_PAYLOAD_BYTES) throw new Error(`record of ${payload.length} bytes is too large`);
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out[0] = MAGIC0;
  out[1] = MAGIC1;
  out[2] = VERSION;
  out[3] = 0;
  out.writeUInt32LE(payload.length, 4);
  writeSeq(out, 8, seq);
  out.set(payload, HEADER_BYTES);
  const crc = crc32(out, HEADER_BYTES, out.length, crc32(out, 8, 16));
  out.writeUInt32LE(crc, 16);
  return out;
}

function writeSeq(buf: Buffer, at: number, seq: number): void {
  buf.writeUInt32LE(seq % 0x1_0000_0000, at);
  buf.writeUInt32LE(Math.floor(seq / 0x1_0000_0000), at + 4);
}

function readSeq(buf: Uint8Array, at: number): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return b.readUInt32LE(at) + b.readUInt32LE(at + 4) * 0x1_0000_0000;
}

export interface RecordRef {
  /** Offset of the record's header within the scanned buffer. */
  offset: number;
  seq: number;
  /** Payload bounds within the scanned buffer. */
  start: number;
  end: number;
}

export type RecordCheck = { ok: true; ref: RecordRef } | { ok: false; reason: "incomplete" | "bad-magic" | "bad-length" | "bad-crc" };

/** Checks the record starting at `at`. */
export function checkRecordAt(buf: Uint8Array, at: number): RecordCheck {
  if (buf.length - at < HEADER_BYTES) return { ok: false, reason: "incomplete" };
  if (buf[at] !== MAGIC0 || buf[at + 1] !== MAGIC1 || buf[at + 2] !== VERSION) return { ok: false, reason: "bad-magic" };
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = b.readUInt32LE(at + 4);
  if (len > MAX_PAYLOAD_BYTES) return { ok: false, reason: "bad-length" };
  const end = at + HEADER_BYTES + len;
  if (end > buf.length) return { ok: false, reason: "incomplete" };
  const want = b.readUInt32LE(at + 16);
  const got = crc32(buf, at + HEADER_BYTES, end, crc32(buf, at + 8, at + 16));
  if (want !== got) return { ok: false, reason: "bad-crc" };
  return { ok: true, ref: { offset: at, seq: readSeq(buf, at + 8), start: at + HEADER_BYTES, end } };
}

export interface Damage {
  /** Where the unreadable bytes start. */
  at: number;
  bytes: number;
  reason: string;
}

export interface ScanResult {
  records: RecordRef[];
  /** Offset just past the last good record: everything after it is a torn or damaged tail. */
  goodEnd: number;
  /** Damaged stretches between good records (skipped, the records around them kept). */
  damaged: Damage[];
  /** Bytes after `goodEnd` that are not a complete good record (a torn write). */
  tailBytes: number;
  tailReason?: string;
}

/**
 * Reads every good record of `buf`. A damaged stretch is skipped by searching
 * for the next record whose CRC checks out; if none follows, the stretch is a
 * torn tail, reported separately so the caller can cut it off.
 */
export function scanRecords(buf: Uint8Array, limit = Infinity): ScanResult {
  const records: RecordRef[] = [];
  const damaged: Damage[] = [];
  let pos = 0;
  let goodEnd = 0;
  while (pos < buf.length && records.length < limit) {
    const r = checkRecordAt(buf, pos);
    if (r.ok) {
      records.push(r.ref);
      pos = r.ref.end;
      goodEnd = pos;
      continue;
    }
    const next = findNextRecord(buf, pos + 1);
    if (next === -1) {
      return { records, goodEnd, damaged, tailBytes: buf.length - goodEnd, tailReason: r.reason };
    }
    damaged.push({ at: pos, bytes: next - pos, reason: r.reason });
    pos = next;
  }
  return { records, goodEnd, damaged, tailBytes: records.length >= limit ? 0 : buf.length - goodEnd };
}

function findNextRecord(buf: Uint8Array, from: number): number {
  for (let i = from; i + HEADER_BYTES <= buf.length; i++) {
    if (buf[i] !== MAGIC0 || buf[i + 1] !== MAGIC1) continue;
    if (checkRecordAt(buf, i).ok) return i;
  }
  return -1;
}
