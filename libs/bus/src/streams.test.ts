import { describe, expect, it } from 'vitest';
import { CONSUMER_POLICY, consumerPolicy, retryDelayMs } from './streams';

describe('retryDelayMs', () => {
  it('doubles from 1 s per delivery and caps at 60 s, without jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, CONSUMER_POLICY, () => 0));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it('adds at most 20 % jitter', () => {
    expect(retryDelayMs(1, CONSUMER_POLICY, () => 0.999)).toBe(1200);
    expect(retryDelayMs(20, CONSUMER_POLICY, () => 1)).toBe(72000);
  });

  it('takes test overrides without touching the production policy', () => {
    const fast = consumerPolicy({ baseDelayMs: 10, maxDelayMs: 50, jitter: 0 });
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, fast))).toEqual([10, 20, 40, 50]);
    expect(CONSUMER_POLICY).toMatchObject({ maxDeliver: 8, ackWaitMs: 60_000, baseDelayMs: 1000, maxDelayMs: 60_000 });
    expect(CONSUMER_POLICY.ackWaitMs).toBeGreaterThan(CONSUMER_POLICY.handlerDeadlineMs);
  });
});
