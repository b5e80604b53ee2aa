/**
 * Exponential backoff with "full jitter": the delay before attempt n is a
 * uniform random value in [0, min(cap, base·2ⁿ)]. Jitter keeps a thousand
 * agents that lost the cloud at the same moment from reconnecting in lockstep.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Never wait less than this (so a zero draw does not spin). */
  minMs?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const random = opts.random ?? Math.random;
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  const min = Math.min(opts.minMs ?? 0, ceiling);
  return Math.round(min + random() * (ceiling - min));
}

/** A retry counter: `next()` gives the delay for the next wait, `reset()` after a success. */
export class Backoff {
  private attempt = 0;
  constructor(private readonly opts: BackoffOptions) {}

  next(): number {
    return backoffDelay(this.attempt++, this.opts);
  }

  /** The delay, but at least `floorMs` (e.g. a server's Retry-After). */
  nextAtLeast(floorMs: number): number {
    return Math.max(floorMs, this.next());
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
