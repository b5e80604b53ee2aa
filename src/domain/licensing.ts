/**
 * One license per agent (cash server): a trial from creation, then paid
 * monthly or yearly. An expired license never loses data — events are still
 * stored — but alerts and reports stop, and chats are told once why.
 */
export const DAY_MS = 86_400_000;

export interface License {
  plan: "trial" | "monthly" | "yearly";
  trialStartedAt: number;
  paidUntil: number | null;
  revokedAt?: number | null;
}

export function expiresAt(l: License, trialDays: number): number {
  const trialEnd = l.trialStartedAt + trialDays * DAY_MS;
  return Math.max(trialEnd, l.paidUntil ?? 0);
}

export type LicenseState = "trial" | "active" | "expired";

export function licenseState(l: License, now: number, trialDays: number): LicenseState {
  const end = expiresAt(l, trialDays);
  if (now >= end) return "expired";
  return l.paidUntil !== null && l.paidUntil > now ? "active" : "trial";
}

export function isValid(l: License, now: number, trialDays: number): boolean {
  return licenseState(l, now, trialDays) !== "expired";
}

/** Paid period after extending by whole months (or 12 for a year) from the later of now and the current end. */
export function extend(l: License, months: number, now: number, trialDays: number): number {
  const from = new Date(Math.max(now, expiresAt(l, trialDays)));
  const to = new Date(from);
  to.setUTCMonth(to.getUTCMonth() + months);
  return to.getTime();
}

/** Which expiry notice is due now, if any: 7 days before, 1 day before, at expiry. */
export function noticeDue(
  l: License,
  now: number,
  trialDays: number,
  lastNotice: { stage: string | null; forExpiry: number | null },
): { stage: "7d" | "1d" | "expired"; expiresAt: number } | null {
  const end = expiresAt(l, trialDays);
  const sent = lastNotice.forExpiry === end ? lastNotice.stage : null;
  const order = { "7d": 1, "1d": 2, expired: 3 } as const;
  const due: "7d" | "1d" | "expired" | null =
    now >= end ? "expired" : end - now <= DAY_MS ? "1d" : end - now <= 7 * DAY_MS ? "7d" : null;
  if (due === null) return null;
  if (sent && order[sent as keyof typeof order] >= order[due]) return null;
  return { stage: due, expiresAt: end };
}
