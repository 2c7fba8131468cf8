import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBus, type TestBus } from '../test/bus-harness';
import { LeaseLostError, leaseKey, openLeaseStore, type LeaseStore } from './lease';

const TTL_MS = 1_000;
let t: TestBus;
let a: LeaseStore;
let b: LeaseStore;

beforeAll(async () => {
  t = await openTestBus({ topology: false });
  a = await openLeaseStore(t.bus, { ttlMs: TTL_MS, owner: 'replica-a' });
  b = await openLeaseStore(t.bus, { ttlMs: TTL_MS, owner: 'replica-b' });
});

afterAll(async () => {
  await t.bus.jsm.streams.delete(`KV_${t.bus.namespace}_leases`);
  await t.cleanup();
});

const until = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('lease store', () => {
  it('gives a key to one owner at a time', async () => {
    const lease = await a.tryAcquire('mailbox/t1/m1');
    expect(lease).toBeDefined();
    expect(await b.tryAcquire('mailbox/t1/m1')).toBeUndefined();
    expect(await b.holder('mailbox/t1/m1')).toBe('replica-a');
    await lease!.release();
    const taken = await b.tryAcquire('mailbox/t1/m1');
    expect(taken).toBeDefined();
    await taken!.release();
  });

  it('raises the fencing token on every renewal', async () => {
    const lease = (await a.tryAcquire('mailbox/t1/m2'))!;
    const first = lease.token;
    expect(await lease.renew()).toBeGreaterThan(first);
    await lease.release();
  });

  it('lets another owner take an expired lease, and the stale owner can never renew it', async () => {
    const stale = (await a.tryAcquire('mailbox/t1/m3'))!;
    // The holder stops renewing (a paused or dead process): the key expires after the TTL.
    const fresh = await until(() => b.tryAcquire('mailbox/t1/m3'));
    expect(fresh.token).toBeGreaterThan(stale.token);
    await expect(stale.renew()).rejects.toBeInstanceOf(LeaseLostError);
    await stale.release();
    expect(await a.holder('mailbox/t1/m3')).toBe('replica-b');
    await fresh.release();
  });

  it("carries the bucket's creation time, the same for every replica, so tokens stay ordered across a recreated bucket", async () => {
    const info = await t.bus.jsm.streams.info(`KV_${t.bus.namespace}_leases`);
    const one = (await a.tryAcquire('mailbox/t1/m4'))!;
    const two = (await b.tryAcquire('mailbox/t1/m5'))!;
    expect(one.epoch.getTime()).toBe(new Date(info.created).getTime());
    expect(two.epoch.getTime()).toBe(one.epoch.getTime());
    await one.release();
    await two.release();
  });

  it('maps any name onto a valid KV key', () => {
    expect(leaseKey('mailbox/tenant 1/ä')).toBe('mailbox/tenant_1/_');
  });
});
