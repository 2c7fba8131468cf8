import { randomBytes } from 'node:crypto';
import { createSecretBox } from '@postroom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/fresh-database';
import { getFolderCursor, listFolderCursors, saveBackfillProgress, saveFolderCursor } from './folder-cursors';
import { claimMailboxFence } from './mailbox-fence';
import { createMailbox } from './mailboxes';
import { createTenant } from './tenants';

let db: FreshDatabase;
let tenantId: string;
let mailboxId: string;

beforeAll(async () => {
  db = await freshDatabase();
  tenantId = (await createTenant(db.ds, { name: 'Acme', slug: 'acme' })).id;
  const box = createSecretBox({ key: randomBytes(32).toString('base64') });
  mailboxId = (
    await createMailbox(db.ds, box, { tenantId, name: 'Support', address: 'support@acme.test', provider: 'imap', settings: {} })
  ).id;
});
afterAll(() => db?.cleanup());

describe('folder cursors', () => {
  it('is undefined before the first save', async () => {
    expect(await getFolderCursor(db.ds, tenantId, mailboxId, 'Never')).toBeUndefined();
  });

  it('saves and reads back a cursor', async () => {
    const saved = await saveFolderCursor(db.ds, tenantId, mailboxId, 'INBOX', { uidValidity: 1700000000, lastUid: 10, highestModseq: 55n });
    expect(saved).toMatchObject({ tenantId, mailboxId, folder: 'INBOX', uidValidity: 1700000000, lastUid: 10, highestModseq: 55n });
    expect(await getFolderCursor(db.ds, tenantId, mailboxId, 'INBOX')).toEqual(saved);
  });

  it('never moves last_uid or the modseq backwards for the same UIDVALIDITY', async () => {
    await saveFolderCursor(db.ds, tenantId, mailboxId, 'Forward', { uidValidity: 7, lastUid: 20, highestModseq: 100n });
    const late = await saveFolderCursor(db.ds, tenantId, mailboxId, 'Forward', { uidValidity: 7, lastUid: 15, highestModseq: 90n });
    expect(late).toMatchObject({ uidValidity: 7, lastUid: 20, highestModseq: 100n });
    const ahead = await saveFolderCursor(db.ds, tenantId, mailboxId, 'Forward', { uidValidity: 7, lastUid: 21 });
    expect(ahead).toMatchObject({ lastUid: 21, highestModseq: 100n });
    expect(await getFolderCursor(db.ds, tenantId, mailboxId, 'Forward')).toMatchObject({ lastUid: 21, highestModseq: 100n });
  });

  it('restarts from the new values when UIDVALIDITY changes (RFC 3501 2.3.1.1)', async () => {
    await saveFolderCursor(db.ds, tenantId, mailboxId, 'Reset', { uidValidity: 1, lastUid: 500, highestModseq: 900n });
    const reset = await saveFolderCursor(db.ds, tenantId, mailboxId, 'Reset', { uidValidity: 2, lastUid: 3 });
    expect(reset).toMatchObject({ uidValidity: 2, lastUid: 3, highestModseq: null });
  });

  it('keeps the largest last_uid when saves race', async () => {
    const uids = Array.from({ length: 20 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    await Promise.all(uids.map((lastUid) => saveFolderCursor(db.ds, tenantId, mailboxId, 'Race', { uidValidity: 9, lastUid })));
    expect((await getFolderCursor(db.ds, tenantId, mailboxId, 'Race'))?.lastUid).toBe(20);
  });

  it('keeps UIDs and mod-sequences beyond 32 and 53 bits exact', async () => {
    const modseq = 2n ** 62n + 7n;
    await saveFolderCursor(db.ds, tenantId, mailboxId, 'Big', { uidValidity: 4294967295, lastUid: 4294967294, highestModseq: modseq });
    expect(await getFolderCursor(db.ds, tenantId, mailboxId, 'Big')).toMatchObject({
      uidValidity: 4294967295,
      lastUid: 4294967294,
      highestModseq: modseq,
    });
  });

  it('lists a mailbox\'s cursors and refuses a cursor for an unknown mailbox', async () => {
    const folders = (await listFolderCursors(db.ds, tenantId, mailboxId)).map((c) => c.folder);
    expect(folders).toEqual(['Big', 'Forward', 'INBOX', 'Race', 'Reset']);
    await expect(
      saveFolderCursor(db.ds, tenantId, '00000000-0000-4000-8000-000000000000', 'INBOX', { uidValidity: 1, lastUid: 1 }),
    ).rejects.toThrow(/fk_mailbox_folders_mailbox/);
  });
});

describe('backfill progress', () => {
  it('is kept beside a folder that has no cursor yet, and a finished pass clears it', async () => {
    const progress = await saveBackfillProgress(db.ds, tenantId, mailboxId, 'Backfill', { uidValidity: 5, belowUid: 800, uptoUid: 1000 });
    expect(progress).toMatchObject({ uidValidity: null, lastUid: 0, backfillUidValidity: 5, backfillBelowUid: 800, backfillUptoUid: 1000 });
    await saveBackfillProgress(db.ds, tenantId, mailboxId, 'Backfill', { uidValidity: 5, belowUid: 600, uptoUid: 1000 });
    expect(await getFolderCursor(db.ds, tenantId, mailboxId, 'Backfill')).toMatchObject({ uidValidity: null, backfillBelowUid: 600 });
    const done = await saveFolderCursor(db.ds, tenantId, mailboxId, 'Backfill', { uidValidity: 5, lastUid: 1000 });
    expect(done).toMatchObject({ uidValidity: 5, lastUid: 1000, backfillUidValidity: null, backfillBelowUid: null, backfillUptoUid: null });
  });

  it('leaves the cursor of the old UIDVALIDITY alone while a resync is under way', async () => {
    await saveFolderCursor(db.ds, tenantId, mailboxId, 'Resync', { uidValidity: 1, lastUid: 50 });
    const during = await saveBackfillProgress(db.ds, tenantId, mailboxId, 'Resync', { uidValidity: 2, belowUid: 30, uptoUid: 52 });
    expect(during).toMatchObject({ uidValidity: 1, lastUid: 50, backfillUidValidity: 2, backfillBelowUid: 30 });
  });
});

/** Resolves once a backend running `sqlStart` waits for a row lock (pg_stat_activity). */
async function waitUntilBlockedOnLock(sqlStart: string): Promise<void> {
  for (;;) {
    const rows: unknown[] = await db.ds.query(
      `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position($1 in query) > 0`,
      [sqlStart],
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('lease fence', () => {
  let fencedMailbox: string;
  const epoch = new Date('2026-12-01T10:00:00.123Z');
  beforeAll(async () => {
    const box = createSecretBox({ key: randomBytes(32).toString('base64') });
    fencedMailbox = (
      await createMailbox(db.ds, box, { tenantId, name: 'Fenced', address: 'fenced@acme.test', provider: 'imap', settings: {} })
    ).id;
  });

  it('writes only for the holder of the claimed token, and refuses the owner a takeover outranked', async () => {
    expect(await claimMailboxFence(db.ds, tenantId, fencedMailbox, { epoch, token: 10 })).toBe(true);
    const first = { epoch, token: 10 };
    expect(await saveFolderCursor(db.ds, tenantId, fencedMailbox, 'INBOX', { uidValidity: 3, lastUid: 5 }, first)).toMatchObject({ lastUid: 5 });

    expect(await claimMailboxFence(db.ds, tenantId, fencedMailbox, { epoch, token: 42 })).toBe(true);
    // The stale owner (token 10) can no longer write, neither the cursor nor backfill progress.
    expect(await saveFolderCursor(db.ds, tenantId, fencedMailbox, 'INBOX', { uidValidity: 3, lastUid: 9 }, first)).toBeUndefined();
    const progress = { uidValidity: 3, belowUid: 1, uptoUid: 9 };
    expect(await saveBackfillProgress(db.ds, tenantId, fencedMailbox, 'Other', progress, first)).toBeUndefined();
    expect(await getFolderCursor(db.ds, tenantId, fencedMailbox, 'INBOX')).toMatchObject({ lastUid: 5 });
    expect(await getFolderCursor(db.ds, tenantId, fencedMailbox, 'Other')).toBeUndefined();
    // … nor claim the mailbox back.
    expect(await claimMailboxFence(db.ds, tenantId, fencedMailbox, first)).toBe(false);

    const second = { epoch, token: 42 };
    expect(await saveFolderCursor(db.ds, tenantId, fencedMailbox, 'INBOX', { uidValidity: 3, lastUid: 9 }, second)).toMatchObject({ lastUid: 9 });
  });

  it('lets a lease bucket created later outrank a higher revision of the old one', async () => {
    const recreated = { epoch: new Date(epoch.getTime() + 60_000), token: 1 };
    expect(await claimMailboxFence(db.ds, tenantId, fencedMailbox, recreated)).toBe(true);
    expect(await claimMailboxFence(db.ds, tenantId, fencedMailbox, { epoch, token: 43 })).toBe(false);
  });

  it('makes a claim wait for a fenced write in flight, so the write lands before the takeover or not at all', async () => {
    const holder = { epoch: new Date(epoch.getTime() + 120_000), token: 5 };
    await claimMailboxFence(db.ds, tenantId, fencedMailbox, holder);
    const runner = db.ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // The holder's write, not yet committed, holds the mailbox row.
      expect(await saveFolderCursor(runner.manager, tenantId, fencedMailbox, 'Inflight', { uidValidity: 1, lastUid: 7 }, holder)).toBeDefined();
      let claimed = false;
      const takeover = claimMailboxFence(db.ds, tenantId, fencedMailbox, { ...holder, token: 6 }).then((ok) => (claimed = ok));
      await waitUntilBlockedOnLock('UPDATE mailboxes SET lease_epoch');
      expect(claimed).toBe(false);
      await runner.commitTransaction();
      await takeover;
      expect(claimed).toBe(true);
    } finally {
      await runner.release();
    }
    expect(await getFolderCursor(db.ds, tenantId, fencedMailbox, 'Inflight')).toMatchObject({ lastUid: 7 });
  });
});
