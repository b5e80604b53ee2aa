/**
 * Wall-clock time in the restaurant's zone. r_keeper writes local times with
 * no offset ("2025-12-23T17:47:11"); the contract wants an instant with its
 * offset ("2025-12-23T17:47:11+03:00"). Intl knows every IANA zone, so no
 * tz database ships with the agent.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `timeZone` at epoch milliseconds `ms`. */
export function wallClockAt(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in minutes (Moscow: +180). */
export function offsetMinutesAt(ms: number, timeZone: string): number {
  const w = wallClockAt(Math.floor(ms / 1000) * 1000, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * Epoch ms of a local wall time in `timeZone`. In a DST gap the time is read
 * with the offset before the gap; in an overlap, the earlier instant wins.
 */
export function localToEpoch(local: string, timeZone: string): number | null {
  const m = LOCAL_RE.exec(local.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const asUtc = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, s ? +s : 0, frac ? +frac.padEnd(3, "0") : 0);
  // Two passes converge for every real zone: guess with the offset at the
  // UTC reading, then correct with the offset at the guessed instant.
  let guess = asUtc - offsetMinutesAt(asUtc, timeZone) * 60000;
  guess = asUtc - offsetMinutesAt(guess, timeZone) * 60000;
  const earlier = asUtc - offsetMinutesAt(guess - 3600_000, timeZone) * 60000;
  if (earlier !== guess && sameWall(earlier, asUtc, timeZone)) return earlier;
  return guess;
}

function sameWall(ms: number, asUtc: number, timeZone: string): boolean {
  const w = wallClockAt(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) === Math.floor(asUtc / 1000) * 1000;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return "+00:00";
  const sign = minutes < 0 ? "-" : "+";
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** "2025-12-23T17:47:11+03:00" for instant `ms` as seen in `timeZone`. */
export function toZonedIso(ms: number, timeZone: string): string {
  const whole = Math.floor(ms / 1000) * 1000;
  const w = wallClockAt(whole, timeZone);
  const off = offsetMinutesAt(whole, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${formatOffset(off)}`;
}

/** A POS local time string to an instant with offset; null when unreadable. */
export function localToZonedIso(local: string, timeZone: string): string | null {
  const ms = localToEpoch(local, timeZone);
  return ms === null ? null : toZonedIso(ms, timeZone);
}

/** Hour of day (0–23) of instant `ms` in `timeZone`. */
export function hourIn(ms: number, timeZone: string): number {
  return wallClockAt(ms, timeZone).hour;
}
