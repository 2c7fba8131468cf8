import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('never lets more than `permits` holders in, and hands permits over in order', async () => {
    const sem = new Semaphore(2);
    let inside = 0;
    let peak = 0;
    const order: number[] = [];
    const work = async (i: number) => {
      await sem.acquire();
      inside += 1;
      peak = Math.max(peak, inside);
      order.push(i);
      await new Promise((r) => setImmediate(r));
      inside -= 1;
      sem.release();
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(work));
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects a non-positive permit count', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
