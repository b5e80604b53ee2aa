/**
 * r_keeper's units (protocol notes of the XML interface): money in kopecks,
 * quantities in thousandths (1000 = one portion), booleans "1"/"0", GUIDs in
 * braces, date-times local to the restaurant without an offset.
 */
import { localToZonedIso } from "../util/zoned-time";

/** Kopecks as an integer; undefined when absent or unreadable. */
export function money(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n) : undefined;
}

/** Portions from thousandths: "1500" → 1.5. */
export function quantity(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n) / 1000 : undefined;
}

export function int(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function bool(v: string | undefined): boolean {
  return v === "1" || v === "true" || v === "True";
}

/** "{5c2…}" → "{5C2…}"; undefined for empty. */
export function guid(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = v.trim();
  if (!t) return undefined;
  return t.startsWith("{") ? t.toUpperCase() : `{${t.toUpperCase()}}`;
}

/** 32 hex digits of a GUID, for compact event ids. */
export function guidKey(v: string | undefined): string {
  return (v ?? "").replace(/[{}-]/g, "").toLowerCase();
}

/** r_keeper's local "2025-12-23T17:47:11" → "2025-12-23T17:47:11+03:00" in the restaurant's zone. */
export function localTime(v: string | undefined, timeZone: string): string | undefined {
  if (!v) return undefined;
  // Delphi's zero date means "not set".
  if (v.startsWith("1899-12-30")) return undefined;
  return localToZonedIso(v, timeZone) ?? undefined;
}
