import { describe, expect, it } from 'vitest';
import { createFetchBatcher, type FetchMany } from './fetch-batch';
import type { ImapMessageRef } from './ports';

const ref = (uid: number, over: Partial<ImapMessageRef> = {}): ImapMessageRef => ({ tenantId: 't', mailboxId: 'm', folder: 'INBOX', uidValidity: 7, uid, ...over });
const bytesOf = (uid: number) => new TextEncoder().encode(`mail ${uid}`);

/** A fetchMany that answers with every UID except `missing`, and records each call's UIDs; `gate` holds a call open. */
function recorder(opts: { missing?: number[]; failFolder?: string } = {}) {
  const calls: number[][] = [];
  let open: (() => void) | undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let held = false;
  const fetchMany: FetchMany = async (refs) => {
    calls.push(refs.map((r) => r.uid));
    if (held) await gate;
    if (refs[0].folder === opts.failFolder) throw new Error(`${refs[0].folder} is gone`);
    return new Map(refs.filter((r) => !opts.missing?.includes(r.uid)).map((r) => [r.uid, bytesOf(r.uid)]));
  };
  return { calls, fetchMany, hold: () => (held = true), release: () => open!() };
}

describe('createFetchBatcher', () => {
  it('fetches the messages asked for in one turn with one call, and says which were not in the answer', async () => {
    const r = recorder({ missing: [3] });
    const batcher = createFetchBatcher(r.fetchMany);
    const got = await Promise.all([1, 2, 3].map((uid) => batcher.fetch(ref(uid))));
    expect(r.calls).toEqual([[1, 2, 3]]);
    expect(got.map((b) => b && new TextDecoder().decode(b))).toEqual(['mail 1', 'mail 2', undefined]);
  });

  it('splits at maxBatch, and asks for what came during a call in the next one', async () => {
    const r = recorder();
    const batcher = createFetchBatcher(r.fetchMany, 2);
    r.hold();
    const first = [1, 2, 3].map((uid) => batcher.fetch(ref(uid)));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [4, 5].map((uid) => batcher.fetch(ref(uid)));
    r.release();
    await Promise.all([...first, ...later]);
    expect(r.calls).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('keeps folders, and one folder under another UIDVALIDITY, apart; a failure fails only its own batch', async () => {
    const r = recorder({ failFolder: 'Gone' });
    const batcher = createFetchBatcher(r.fetchMany);
    const results = await Promise.allSettled([
      batcher.fetch(ref(1)),
      batcher.fetch(ref(2, { folder: 'Gone' })),
      batcher.fetch(ref(3, { uidValidity: 8 })),
      batcher.fetch(ref(4)),
    ]);
    expect(r.calls).toEqual([[1, 4], [2], [3]]);
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('Gone is gone');
    expect(new TextDecoder().decode(await batcher.fetch(ref(9, { folder: 'Gone2' })))).toBe('mail 9');
  });
});
