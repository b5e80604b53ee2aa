/**
 * What a chat sends next. The queue is ordered and is sent in order; the only
 * freedom is to send the head alone or to coalesce a run of queued alerts
 * into one digest message, which the chat does when sending them one by one
 * would take longer than `DIGEST_AFTER_MS` under Telegram's limits.
 */
import type { Language } from "../chat-settings";
import type { OutgoingMessage } from "../outgoing";
import { digestible, packDigest } from "./digest";
import { drainTime, type ChatType } from "./limits";

/** Sending the backlog one by one may take this long before alerts are digested. */
export const DIGEST_AFTER_MS = 30_000;

export interface QueuedMessage {
  seq: number;
  message: OutgoingMessage;
  /** A digest holding it was refused (400): it goes on its own. */
  single: boolean;
  /** Its text is delivered (this id); only its photo is left. */
  textMessageId: number | null;
}

export type Step =
  | { kind: "text"; seqs: [number]; html: string; buttons?: OutgoingMessage["buttons"] }
  | { kind: "photo"; seqs: [number]; photo: NonNullable<OutgoingMessage["photo"]> }
  | { kind: "digest"; seqs: number[]; html: string };

export interface PlanInput {
  /** The head of the queue, oldest first (enough of it to fill a digest). */
  head: readonly QueuedMessage[];
  /** How many messages are queued in all. */
  backlog: number;
  type: ChatType;
  /** This chat's recent send times, ascending. */
  recent: readonly number[];
  now: number;
  /** The chat's language, for the digest's header. */
  lang?: Language;
}

export function planNext(input: PlanInput): Step | null {
  const first = input.head[0];
  if (!first) return null;
  if (first.message.photo && (first.textMessageId !== null || first.message.html === "")) {
    return { kind: "photo", seqs: [first.seq], photo: first.message.photo };
  }
  if (canDigest(first) && drainTime(input.type, input.recent, input.backlog, input.now, DIGEST_AFTER_MS) > DIGEST_AFTER_MS) {
    const run: QueuedMessage[] = [];
    for (const q of input.head) {
      if (!canDigest(q)) break;
      run.push(q);
    }
    const { taken, html } = packDigest(run.map((q) => q.message), input.lang);
    if (taken >= 2) return { kind: "digest", seqs: run.slice(0, taken).map((q) => q.seq), html };
  }
  return { kind: "text", seqs: [first.seq], html: first.message.html, ...(first.message.buttons?.length ? { buttons: first.message.buttons } : {}) };
}

function canDigest(q: QueuedMessage): boolean {
  return !q.single && q.textMessageId === null && digestible(q.message);
}
