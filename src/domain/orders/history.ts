/**
 * What changed between two versions of the order's data, for the action
 * history: `{ "client.phone": [before, after], "items": [[…], […]] }`.
 * Objects are compared field by field (dotted paths); lists as a whole;
 * absent and null are the same.
 */
import type { Json } from "./types";

export type Changes = Record<string, [Json, Json]>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function diff(before: unknown, after: unknown, path = ""): Changes {
  // Values come from parsed JSON (the order's data), so they are Json.
  // A section that appears or disappears (a courier assigned) is listed field by field.
  if (isPlainObject(before) && after == null) after = {};
  if (isPlainObject(after) && before == null) before = {};
  if (isPlainObject(before) && isPlainObject(after)) {
    const out: Changes = {};
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort()) Object.assign(out, diff(before[k], after[k], path ? `${path}.${k}` : k));
    return out;
  }
  if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return {};
  return { [path]: [(before ?? null) as Json, (after ?? null) as Json] };
}
