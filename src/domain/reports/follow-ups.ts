/**
 * An on-demand report's messages after the first: the first is the menu
 * message edited in place, the rest (further parts of a long report, the
 * hourly chart) go through the chat's delivery queue, so they are paced with
 * the chat's alerts and never dropped by a busy group's 429.
 */
import type { OutgoingMessage } from "../outgoing";
import type { ChartPhoto } from "./chart";

export interface FollowUpRef {
  restaurantId: string;
  /** Negative and unique per request: these messages have no alert row (see OutgoingMessage.alertId). */
  ref: number;
  now: number;
}

/** A fresh reference for one request's follow-ups. */
export function followUpRef(now: number, random = Math.random()): number {
  return -(now * 1_000 + Math.floor(random * 1_000));
}

export function reportFollowUps(parts: readonly string[], photo: ChartPhoto | null | undefined, r: FollowUpRef): OutgoingMessage[] {
  const base = { alertId: r.ref, restaurantId: r.restaurantId, kind: "report" as const, digestLine: "", risky: false, occurredAt: r.now, noDigest: true };
  const out: OutgoingMessage[] = parts.map((html, i) => ({ ...base, part: i + 1, html }));
  if (photo) {
    const last = out.at(-1);
    // The chart rides on the last part (sent right after it), or goes alone when the report fit one message.
    if (last) last.photo = photo;
    else out.push({ ...base, part: 1, html: "", photo });
  }
  return out;
}
