import { randomBytes } from 'node:crypto';
import { createSecretBox } from '@postroom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/fresh-database';
import { getFolderCursor, listFolderCursors, saveFolderCursor } from './folder-cursors';
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
