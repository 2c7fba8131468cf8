import { describe, expect, it } from 'vitest';
import { ttlCache } from './ttl-cache';

describe('ttlCache', () => {
  it('keeps a loaded value for the ttl, then loads again', async () => {
    let clock = 0;
    let loads = 0;
    const get = ttlCache<number>(5_000, () => clock);
    const load = async () => ++loads;
    expect(await get('a', load)).toBe(1);
    clock = 4_999;
    expect(await get('a', load)).toBe(1);
    expect(await get('b', load)).toBe(2);
    clock = 5_000;
    expect(await get('a', load)).toBe(3);
  });

  it('does not keep a failed load', async () => {
    const get = ttlCache<string>(5_000, () => 0);
    await expect(get('a', async () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    expect(await get('a', async () => 'fresh')).toBe('fresh');
  });

  it('drops the oldest entry beyond its bound', async () => {
    let loads = 0;
    const get = ttlCache<number>(5_000, () => 0, 2);
    const load = async () => ++loads;
    await get('a', load);
    await get('b', load);
    await get('c', load);
    expect(await get('b', load)).toBe(2);
    expect(await get('a', load)).toBe(4);
  });
});
