/**
 * The bot-wide budget (Telegram: ~30 messages/s per bot) as a token bucket.
 * One bucket per bot token, held by one object that every chat object asks
 * before a send; see docs/TELEGRAM.md "Delivery" for why it is shared that way.
 */
export interface Bucket {
  tokens: number;
  at: number;
}

export function fullBucket(capacity: number, now: number): Bucket {
  return { tokens: capacity, at: now };
}

/**
 * Takes one token if there is one. Otherwise nothing is taken and `waitMs`
 * says when the next token will be there; the caller asks again then.
 */
export function take(bucket: Bucket, now: number, ratePerSecond: number, capacity: number): { bucket: Bucket; waitMs: number } {
  // Callers' clocks differ a little (each object reads its own): a caller
  // behind the bucket's time is not made to wait for time it already lived.
  if (now < bucket.at) bucket = { tokens: bucket.tokens, at: now };
  const elapsed = now - bucket.at;
  const tokens = Math.min(capacity, bucket.tokens + (elapsed * ratePerSecond) / 1000);
  const at = now;
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, at }, waitMs: 0 };
  return { bucket: { tokens, at }, waitMs: Math.max(1, Math.ceil(((1 - tokens) * 1000) / ratePerSecond)) };
}
