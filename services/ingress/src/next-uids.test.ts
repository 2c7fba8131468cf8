import { describe, expect, it } from 'vitest';
import { batches, coveredUpTo, newestFirst, planFolderSync, planFromScratch, selectNewUids } from './next-uids';

const cursor = (uidValidity: number | null, lastUid: number, highestModseq: bigint | null = null) => ({ uidValidity, lastUid, highestModseq });

describe('planFolderSync', () => {
  it('backfills a folder it has no cursor for', () => {
    expect(planFolderSync(undefined, { uidValidity: 7, uidNext: 5, exists: 4 })).toEqual({ kind: 'initial' });
    expect(planFolderSync(cursor(null, 0), { uidValidity: 7, uidNext: 5, exists: 4 })).toEqual({ kind: 'initial' });
  });

  it('reads the folder again when UIDVALIDITY changed (RFC 3501 §2.3.1.1)', () => {
    expect(planFolderSync(cursor(7, 40), { uidValidity: 8, uidNext: 3, exists: 2 })).toEqual({ kind: 'resync', previousUidValidity: 7 });
  });

  it('reads above the cursor when UIDNEXT says new UIDs were assigned', () => {
    expect(planFolderSync(cursor(7, 4), { uidValidity: 7, uidNext: 9, exists: 8 })).toEqual({ kind: 'incremental', afterUid: 4 });
  });

  it('skips the FETCH when UIDNEXT proves nothing new', () => {
    expect(planFolderSync(cursor(7, 8), { uidValidity: 7, uidNext: 9, exists: 8 })).toEqual({ kind: 'unchanged' });
  });

  it('skips the FETCH when HIGHESTMODSEQ is unchanged (RFC 7162)', () => {
    expect(planFolderSync(cursor(7, 8, 42n), { uidValidity: 7, exists: 8, highestModseq: 42n })).toEqual({ kind: 'unchanged' });
    expect(planFolderSync(cursor(7, 8, 42n), { uidValidity: 7, exists: 9, highestModseq: 43n })).toEqual({ kind: 'incremental', afterUid: 8 });
  });

  it('reads above the cursor when the server reports neither UIDNEXT nor HIGHESTMODSEQ', () => {
    expect(planFolderSync(cursor(7, 8), { uidValidity: 7, exists: 8 })).toEqual({ kind: 'incremental', afterUid: 8 });
  });

  it('has nothing to read in an empty folder', () => {
    expect(planFolderSync(cursor(7, 8), { uidValidity: 7, exists: 0 })).toEqual({ kind: 'unchanged' });
  });
});

describe('selectNewUids', () => {
  it('drops the highest UID that "n:*" returns even when it is below n', () => {
    expect(selectNewUids([{ uid: 5, size: 10 }], 5)).toEqual([]);
    expect(selectNewUids([{ uid: 3, size: 10 }], 5)).toEqual([]);
  });

  it('sorts ascending and removes repeats', () => {
    const listed = [{ uid: 9, size: 1 }, { uid: 6, size: 2 }, { uid: 9, size: 1 }, { uid: 4, size: 3 }];
    expect(selectNewUids(listed, 5).map((m) => m.uid)).toEqual([6, 9]);
  });
});

describe('backfill helpers', () => {
  it('orders newest first', () => {
    expect(newestFirst([{ uid: 2, size: 0 }, { uid: 7, size: 0 }, { uid: 4, size: 0 }]).map((m) => m.uid)).toEqual([7, 4, 2]);
  });

  it('covers everything assigned before UIDNEXT, even when the backfill skipped it', () => {
    expect(coveredUpTo({ uidValidity: 1, uidNext: 101, exists: 100 }, [{ uid: 100, size: 0 }])).toBe(100);
    expect(coveredUpTo({ uidValidity: 1, uidNext: 101, exists: 100 }, [])).toBe(100);
    // Mail that arrived between SELECT and FETCH is covered by what was listed.
    expect(coveredUpTo({ uidValidity: 1, uidNext: 101, exists: 100 }, [{ uid: 102, size: 0 }])).toBe(102);
  });

  it('splits into batches', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
  });
});

describe('planFromScratch', () => {
  const listed = [1, 2, 3, 4, 5, 6].map((uid) => ({ uid, size: 10 }));
  const snap = { uidValidity: 9, uidNext: 7, exists: 6 };
  const uids = (p: { todo: { uid: number }[] }) => p.todo.map((m) => m.uid);

  it('publishes everything newest first when no pass was cut short', () => {
    expect(uids(planFromScratch(snap, listed))).toEqual([6, 5, 4, 3, 2, 1]);
    expect(planFromScratch(snap, listed).uptoUid).toBe(6);
  });

  it("goes on below the last published batch and keeps the first pass's upper bound", () => {
    // Mail 7 and 8 arrived while the ingress was down: the incremental pass after this one reads them.
    const later = [...listed, { uid: 7, size: 10 }, { uid: 8, size: 10 }];
    const plan = planFromScratch({ uidValidity: 9, uidNext: 9, exists: 8 }, later, { uidValidity: 9, belowUid: 4, uptoUid: 6 });
    expect(uids(plan)).toEqual([3, 2, 1]);
    expect(plan.uptoUid).toBe(6);
  });

  it('starts over when the progress belongs to another UIDVALIDITY', () => {
    expect(uids(planFromScratch(snap, listed, { uidValidity: 8, belowUid: 4, uptoUid: 6 }))).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('has nothing left when the cut-short pass had published its last batch', () => {
    expect(uids(planFromScratch(snap, listed, { uidValidity: 9, belowUid: 1, uptoUid: 6 }))).toEqual([]);
  });
});
