/**
 * Turns a draft into what the spool stores: validated against the contract's
 * own schema (src/protocol), so a bug in a classifier can never poison a batch.
 * A draft that fails validation is not dropped: it becomes `pos.unclassified`
 * carrying the draft and the validation issues.
 */
import { AgentEvent } from "../../../src/protocol/events";
import type { NewEvent } from "../spool/spool";
import type { EventDraft } from "../source";

/** Largest event we spool; the cloud takes 1 MiB per batch. */
export const MAX_EVENT_BYTES = 512 * 1024;
const MAX_RAW_CHARS = 190_000;

export interface Finalized extends NewEvent {
  type: string;
  /** Set when the draft was invalid and was replaced by `pos.unclassified`. */
  invalid?: string;
}

export function finalizeDraft(draft: EventDraft): Finalized {
  const parsed = AgentEvent.safeParse({ ...draft, seq: 1 });
  if (parsed.success) {
    const { seq: _ignored, ...rest } = parsed.data as Record<string, unknown> & { seq: number };
    const json = (seq: number) => serialise(draft.id, seq, rest);
    if (Buffer.byteLength(json(1)) <= MAX_EVENT_BYTES) return { id: draft.id, type: draft.type, toJson: json };
    if (draft.data?.truncated !== true) return finalizeDraft(shrink(draft));
    const small = unclassifiedFrom(draft, `event ${draft.type} is larger than ${MAX_EVENT_BYTES} bytes even when shortened`);
    return { ...finalizeDraft({ ...small, data: { ...small.data, raw: String(small.data?.raw).slice(0, 20_000) } }), invalid: "too large" };
  }
  const why = parsed.error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`)
    .join("; ");
  const fallback = unclassifiedFrom(draft, `event ${draft.type} failed validation: ${why}`);
  return { ...finalizeDraft(fallback), invalid: why };
}

function serialise(id: string, seq: number, rest: Record<string, unknown>): string {
  // `id` first: the spool reads it back from the first bytes of each record.
  const { id: _id, ...others } = rest;
  return JSON.stringify({ id, seq, ...others });
}

function unclassifiedFrom(draft: EventDraft, why: string): EventDraft {
  const raw = typeof draft.data?.raw === "string" ? draft.data.raw : JSON.stringify(draft);
  return {
    id: `${draft.id}:invalid`.slice(0, 64),
    type: "pos.unclassified",
    occurredAt: isIsoWithOffset(draft.occurredAt) ? draft.occurredAt : new Date().toISOString(),
    station: draft.station,
    data: { source: String(draft.data?.source ?? "agent").slice(0, 64), raw: raw.slice(0, MAX_RAW_CHARS), why: why.slice(0, 4000), draftType: draft.type },
  };
}

function shrink(draft: EventDraft): EventDraft {
  const data = { ...(draft.data ?? {}) };
  if (typeof data.raw === "string") data.raw = `${data.raw.slice(0, 20_000)}…[truncated]`;
  const items = draft.items && draft.items.length > 100 ? draft.items.slice(0, 100) : draft.items;
  return { ...draft, items, data: { ...data, truncated: true } };
}

function isIsoWithOffset(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s);
}
