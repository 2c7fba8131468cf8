/**
 * Reconnect delays for a mailbox folder: exponential with full jitter (so a
 * server restart does not bring every mailbox back in the same second), and
 * reset only after the connection stayed up for a stable period, so a server
 * that accepts and then drops every connection is not hammered.
 */

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** A connection that lived this long counts as recovered: the next failure starts over. */
  stableMs: number;
  /** [0, 1): defaults to Math.random. */
  random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt; counts the failure. */
  next(now: number): number;
  /** The connection came up at `now`. */
  connected(now: number): void;
  readonly attempts: number;
}

/** Exponential backoff with jitter: delay in [cap/2, cap], cap = min(max, base · 2^(n-1)). */
export function createBackoff(opts: BackoffOptions): Backoff {
  const random = opts.random ?? Math.random;
  let attempts = 0;
  let upSince: number | undefined;
  return {
    get attempts() {
      return attempts;
    },
    connected(now) {
      upSince = now;
    },
    next(now) {
      if (upSince !== undefined && now - upSince >= opts.stableMs) attempts = 0;
      upSince = undefined;
      attempts += 1;
      const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempts - 1, 30));
      return Math.round(cap / 2 + random() * (cap / 2));
    },
  };
}
