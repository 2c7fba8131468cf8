/**
 * Issue 3 behaviours against the real Dovecot: several folders with their own
 * cursors, backfill modes, a UIDVALIDITY change, and the server dropping the
 * connection mid-IDLE.
 */
import { appendMail, connectImap, createImapUser, sampleMail, waitFor } from '@postroom/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MailboxState } from '@postroom/contracts';
import { startIngress } from '../src/ingress';
import type { Supervisor } from '../src/mailbox-supervisor';
import {
  addImapMailbox, createIngressTestEnv, cursorOf, FAST, killImapProcessesOf, pointerKeys, readPointers,
  readStatusEvents, statusOf, testLogger, type IngressTestEnv,
} from './harness';

const dovecot = inject('dovecot');
let env: IngressTestEnv;
let ingress: Supervisor;

beforeAll(async () => {
  env = await createIngressTestEnv();
  ingress = startIngress({ bus: env.bus, ds: env.ds, secrets: env.secrets, logger: testLogger('ingress'), options: FAST });
});

afterAll(async () => {
  await ingress.stop();
  await env.cleanup();
});

const append = (creds: Parameters<typeof appendMail>[1], folder: string, n: number) =>
  Array.from({ length: n }).reduce<Promise<{ uid: number; uidValidity: number }[]>>(
    async (acc) => [...(await acc), await appendMail(dovecot, creds, sampleMail(), folder)],
    Promise.resolve([]),
  );

describe('ingress sync', () => {
  it('backfills the last N of several folders, newest first, each with its own cursor', async () => {
    const creds = createImapUser(dovecot, 'folders');
    const folders = ['INBOX', 'Sales', 'Support'];
    const before = Object.fromEntries(await Promise.all(folders.map(async (f) => [f, await append(creds, f, 3)] as const)));
    const mailbox = await addImapMailbox(env, dovecot, creds, { imap: { folders }, backfill: { mode: 'last', count: 2 } });
    await waitFor('every folder live', async () => (await statusOf(env, mailbox.id)).status === 'live');

    const pointers = await readPointers(env, mailbox.id);
    for (const f of folders) {
      const mine = pointers.filter((p) => p.mail!.source!.folder === f);
      expect(mine.map((p) => p.mail!.source!.uid)).toEqual([3, 2]);
      expect(mine.every((p) => p.mail!.imported)).toBe(true);
      expect(await cursorOf(env, mailbox.id, f)).toMatchObject({ uidValidity: before[f][0].uidValidity, lastUid: 3 });
    }
    const fresh = await appendMail(dovecot, creds, sampleMail(), 'Sales');
    await waitFor('Sales cursor', async () => (await cursorOf(env, mailbox.id, 'Sales'))?.lastUid === fresh.uid);
    const after = await readPointers(env, mailbox.id);
    expect(after).toHaveLength(7);
    expect(after[6].mail).toMatchObject({ imported: false, source: { folder: 'Sales', uid: fresh.uid } });
    expect((await cursorOf(env, mailbox.id, 'INBOX'))?.lastUid).toBe(3);
  });

  it("labels mail from a folder the server announces as \\Junk (RFC 6154), whatever the folder's name", async () => {
    const creds = createImapUser(dovecot, 'junk');
    await appendMail(dovecot, creds, sampleMail(), 'Quarantine');
    await appendMail(dovecot, creds, sampleMail(), 'INBOX');
    const mailbox = await addImapMailbox(env, dovecot, creds, { imap: { folders: ['INBOX', 'Quarantine'] }, backfill: { mode: 'all' } });
    await waitFor('both folders read', async () => (await readPointers(env, mailbox.id)).length === 2);
    const labels = Object.fromEntries((await readPointers(env, mailbox.id)).map((p) => [p.mail!.source!.folder, p.mail!.source!.providerLabels]));
    expect(labels).toEqual({ Quarantine: ['\\Junk'], INBOX: ['\\Inbox'] });
  });

  it('backfills only mail received since a date', async () => {
    const creds = createImapUser(dovecot, 'since');
    await appendMail(dovecot, creds, sampleMail(), { internalDate: new Date('2020-03-01T10:00:00Z') });
    const recent = await appendMail(dovecot, creds, sampleMail());
    const mailbox = await addImapMailbox(env, dovecot, creds, { backfill: { mode: 'since', date: '2024-01-01T00:00:00Z' } });
    await waitFor('cursor', async () => (await cursorOf(env, mailbox.id))?.lastUid === recent.uid);
    expect(pointerKeys(await readPointers(env, mailbox.id))).toEqual([`INBOX:${recent.uidValidity}:${recent.uid}`]);
  });

  it('reads a folder again from scratch when its UIDVALIDITY changes, and says so', async () => {
    const creds = createImapUser(dovecot, 'uidvalidity');
    const raws = [sampleMail({ subject: 'one' }), sampleMail({ subject: 'two' })];
    for (const raw of raws) await appendMail(dovecot, creds, raw, 'Support');
    const mailbox = await addImapMailbox(env, dovecot, creds, { imap: { folders: ['Support'] }, backfill: { mode: 'all' } });
    await waitFor('first sync', async () => (await cursorOf(env, mailbox.id, 'Support'))?.lastUid === 2);
    const old = (await cursorOf(env, mailbox.id, 'Support'))!.uidValidity;

    // Recreate the folder with the same mail plus one new: every UID is void (RFC 3501 §2.3.1.1).
    const admin = await connectImap(dovecot, creds);
    await admin.mailboxDelete('Support');
    await admin.mailboxCreate('Support');
    await admin.logout();
    const again = [];
    for (const raw of [...raws, sampleMail({ subject: 'three' })]) again.push(await appendMail(dovecot, creds, raw, 'Support'));
    const uidValidity = again[0].uidValidity;
    expect(uidValidity).not.toBe(old);

    await waitFor('resynced', async () => (await cursorOf(env, mailbox.id, 'Support'))?.uidValidity === uidValidity);
    const keys = pointerKeys(await readPointers(env, mailbox.id));
    const current = keys.filter((k) => k.startsWith(`Support:${uidValidity}:`));
    expect(current.sort()).toEqual(again.map((m) => `Support:${uidValidity}:${m.uid}`).sort());
    expect(new Set(keys).size).toBe(keys.length);
    const events = await readStatusEvents(env, mailbox.id);
    const resync = events.find((e) => e.code === 'UIDVALIDITY_CHANGED');
    expect(resync?.state).toBe(MailboxState.SYNCING);
    expect(resync?.reason).toContain(`${old} → ${uidValidity}`);
    await waitFor('live again', async () => (await statusOf(env, mailbox.id)).status === 'live');
  });

  it('polls when IDLE is off for the mailbox', async () => {
    const creds = createImapUser(dovecot, 'poll');
    const mailbox = await addImapMailbox(env, dovecot, creds, { imap: { idle: false, pollIntervalMs: 300 } });
    await waitFor('live', async () => (await statusOf(env, mailbox.id)).status === 'live');
    const { uid } = await appendMail(dovecot, creds, sampleMail());
    await waitFor('polled pointer', async () => (await cursorOf(env, mailbox.id))?.lastUid === uid);
    expect(await readPointers(env, mailbox.id)).toHaveLength(1);
  });

  it('reconnects when the server drops the connection mid-IDLE, losing and duplicating nothing', async () => {
    const creds = createImapUser(dovecot, 'dropped');
    const mailbox = await addImapMailbox(env, dovecot, creds);
    await waitFor('live', async () => (await statusOf(env, mailbox.id)).status === 'live');
    const a = await appendMail(dovecot, creds, sampleMail());
    await waitFor('pointer a', async () => (await cursorOf(env, mailbox.id))?.lastUid === a.uid);

    expect(killImapProcessesOf(creds.user)).toBeGreaterThan(0);
    const b = await appendMail(dovecot, creds, sampleMail());
    await waitFor('pointer b', async () => (await cursorOf(env, mailbox.id))?.lastUid === b.uid);
    await waitFor('live again', async () => (await statusOf(env, mailbox.id)).status === 'live');

    expect(pointerKeys(await readPointers(env, mailbox.id))).toEqual([a, b].map((m) => `INBOX:${m.uidValidity}:${m.uid}`));
    const states = (await readStatusEvents(env, mailbox.id)).map((e) => e.state);
    expect(states.slice(states.indexOf(MailboxState.DEGRADED))).toContain(MailboxState.LIVE);
  });
});
