/**
 * Order ids are derived from the ordering channel's own id, so a create that
 * is repeated (or two racing ones) reach the same order object; problem and
 * payment ids carry the order's id, so a Telegram button (`pb:<problemId>:…`)
 * finds its order without a lookup.
 */
const ORDER_PREFIX = "ord_";

/** `ord_` + 24 hex of SHA-256(account, source, external id). */
export async function orderIdFor(accountId: string, source: string, externalId: string): Promise<string> {
  const bytes = new TextEncoder().encode(`tillwatch-order/v1\n${accountId}\n${source}\n${externalId}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const b of digest.subarray(0, 12)) hex += b.toString(16).padStart(2, "0");
  return ORDER_PREFIX + hex;
}

export const isOrderId = (id: string): boolean => /^ord_[0-9a-f]{24}$/.test(id);

const stem = (orderId: string) => orderId.slice(ORDER_PREFIX.length);

export const problemIdFor = (orderId: string, n: number): string => `prb_${stem(orderId)}_${n}`;
export const paymentIdFor = (orderId: string, n: number): string => `pay_${stem(orderId)}_${n}`;

/** The order a problem or payment id belongs to; null when the id is not one of ours. */
export function orderOfChildId(id: string): string | null {
  const m = /^(?:prb|pay)_([0-9a-f]{24})_\d{1,6}$/.exec(id);
  return m ? ORDER_PREFIX + m[1] : null;
}
