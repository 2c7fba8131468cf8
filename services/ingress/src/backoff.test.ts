import { describe, expect, it } from 'vitest';
import { createBackoff } from './backoff';

describe('createBackoff', () => {
  it('doubles the cap per failure, jitters within [cap/2, cap] and stops at max', () => {
    const low = createBackoff({ baseMs: 1000, maxMs: 8000, stableMs: 60_000, random: () => 0 });
    expect([1, 2, 3, 4, 5].map(() => low.next(0))).toEqual([500, 1000, 2000, 4000, 4000]);
    const high = createBackoff({ baseMs: 1000, maxMs: 8000, stableMs: 60_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5].map(() => high.next(0))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('resets only after a connection stayed up for the stable period', () => {
    const b = createBackoff({ baseMs: 1000, maxMs: 60_000, stableMs: 10_000, random: () => 0.999999 });
    b.next(0);
    b.next(0);
    b.connected(1_000);
    expect(b.next(5_000)).toBe(4000); // up for 4 s: not stable, keeps growing
    b.connected(10_000);
    expect(b.next(20_000)).toBe(1000); // up for 10 s: starts over
    expect(b.attempts).toBe(1);
  });
});
