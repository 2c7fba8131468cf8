import { describe, expect, it } from 'vitest';
import { createHostSlots } from './host-slots';

describe('createHostSlots', () => {
  it('holds connections per host to the cap and hands a freed slot to the next waiter', async () => {
    const slots = createHostSlots(2);
    const a = await slots.acquire('imap.example.com');
    await slots.acquire('imap.example.com');
    const other = await slots.acquire('other.example.com');
    let third = false;
    const waiting = slots.acquire('imap.example.com').then((r) => ((third = true), r));
    await Promise.resolve();
    expect(third).toBe(false);
    expect(slots.inUse('imap.example.com')).toBe(2);
    a();
    a(); // releasing twice frees one slot only
    const release = await waiting;
    expect(third).toBe(true);
    expect(slots.inUse('imap.example.com')).toBe(2);
    release();
    expect(slots.inUse('imap.example.com')).toBe(1);
    other();
    expect(slots.inUse('other.example.com')).toBe(0);
  });
});
