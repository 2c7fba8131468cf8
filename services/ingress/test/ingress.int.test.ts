/**
 * The ingress against a real Dovecot, NATS and PostgreSQL: pointers per new
 * UID, the cursor after the PubAck, IDLE, restarts without duplicates, auth
 * failures isolated to their mailbox, and mailboxes coming and going.
 */
import { appendMail, createImapUser, sampleMail, waitFor } from '@postroom/testing';
import { listMailboxes, setMailboxStatus } from '@postroom/db';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { MailboxState, Provider, mailIdOf } from '@postroom/contracts';
import { startIngress } from '../src/ingress';
import { createPointerSink } from '../src/pointer-sink';
import type { Supervisor } from '../src/mailbox-supervisor';
import { addImapMailbox, imapProcessesOf, testLogger, createIngressTestEnv, cursorOf, FAST, pointerKeys, readPointers, readStatusEvents, statusOf, type IngressTestEnv } from './harness';

const dovecot = inject('dovecot');
let env: IngressTestEnv;
const running: Supervisor[] = [];

const start = (options = FAST) => {
  const s = startIngress({ bus: env.bus, ds: env.ds, secrets: env.secrets, logger: testLogger('ingress'), options });
  running.push(s);
  return s;
};

beforeAll(async () => {
  env = await createIngressTestEnv();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

afterAll(() => env.cleanup());

describe('ingress', () => {
  it('turns mail that arrives while IDLE into exactly one pointer, then advances the cursor', async () => {
    const creds = createImapUser(dovecot, 'idle');
    const mailbox = await addImapMailbox(env, dovecot, creds);
    const ingress = start();
    await waitFor('mailbox live', async () => (await statusOf(env, mailbox.id)).status === 'live');
    const raw = sampleMail({ subject: 'arrives while idle' });
    const { uid, uidValidity } = await appendMail(dovecot, creds, raw);

    const cursor = await waitFor('cursor advanced', async () => {
      const c = await cursorOf(env, mailbox.id);
      return c && c.lastUid >= uid ? c : undefined;
    });
    // The cursor moved only after the PubAck: the pointer is already in the stream.
    const pointers = await readPointers(env, mailbox.id);
    expect(cursor).toMatchObject({ uidValidity, lastUid: uid });
    expect(pointers).toHaveLength(1);
    const mail = pointers[0].mail!;
    expect(mail).toMatchObject({ tenantId: env.tenantId, mailboxId: mailbox.id, imported: false });
    expect(mail.source).toMatchObject({ provider: Provider.IMAP, folder: 'INBOX', uidValidity, uid, sizeHint: BigInt(Buffer.byteLength(raw)) });
    expect(mail.mailId).toBe(mailIdOf({ kind: 'imap', mailboxId: mailbox.id, folder: 'INBOX', uidValidity, uid }));
    expect(mail.observedAtMs).toBeGreaterThan(0n);
    const status = await statusOf(env, mailbox.id);
    expect(status.connectedAt).not.toBeNull();
    const states = (await readStatusEvents(env, mailbox.id)).map((e) => e.state);
    expect(states).toContain(MailboxState.LIVE);
    expect(ingress.watching()).toContain(`${env.tenantId}/${mailbox.id}`);
  });

  it('publishes no duplicate pointers after a restart, and picks up what arrived while it was down', async () => {
    const creds = createImapUser(dovecot, 'restart');
    const first = await appendMail(dovecot, creds, sampleMail());
    const mailbox = await addImapMailbox(env, dovecot, creds, { backfill: { mode: 'last', count: 10 } });
    const one = start();
    await waitFor('backfill', async () => ((await cursorOf(env, mailbox.id))?.lastUid ?? 0) >= first.uid);
    await one.stop();

    const second = await appendMail(dovecot, creds, sampleMail());
    start();
    await waitFor('second pointer', async () => ((await cursorOf(env, mailbox.id))?.lastUid ?? 0) >= second.uid);
    const third = await appendMail(dovecot, creds, sampleMail());
    await waitFor('third pointer', async () => ((await cursorOf(env, mailbox.id))?.lastUid ?? 0) >= third.uid);

    const keys = pointerKeys(await readPointers(env, mailbox.id));
    expect(keys).toEqual([first, second, third].map((m) => `INBOX:${m.uidValidity}:${m.uid}`));
    const pointers = await readPointers(env, mailbox.id);
    expect(pointers.map((p) => p.mail!.imported)).toEqual([true, false, false]);
    // A pointer published again (a crash between PubAck and cursor save) has the same msgId: JetStream drops it.
    const sink = createPointerSink({ bus: env.bus, mailbox: { tenantId: env.tenantId, id: mailbox.id } });
    await sink.publish([{ folder: 'INBOX', uidValidity: first.uidValidity, uid: first.uid, size: 1, imported: true, labels: [] }]);
    expect(await readPointers(env, mailbox.id)).toHaveLength(3);
  });

  it('puts a mailbox with a wrong password in error, then pauses it, while another mailbox keeps flowing', async () => {
    const good = createImapUser(dovecot, 'good');
    const bad = createImapUser(dovecot, 'bad');
    const goodBox = await addImapMailbox(env, dovecot, good);
    const badBox = await addImapMailbox(env, dovecot, { user: bad.user, password: 'not-the-password' });
    start();

    const paused = await waitFor('bad mailbox paused', async () => {
      const s = await statusOf(env, badBox.id);
      return s.status === 'paused' ? s : undefined;
    });
    expect(paused.lastError).toMatch(/^MAILBOX_AUTH_FAILED: /);
    expect(paused.connectedAt).toBeNull();
    const events = await readStatusEvents(env, badBox.id);
    expect(events.map((e) => e.state)).toEqual(expect.arrayContaining([MailboxState.ERROR, MailboxState.PAUSED]));
    expect(events.find((e) => e.state === MailboxState.ERROR)?.code).toBe('MAILBOX_AUTH_FAILED');

    await waitFor('good mailbox live', async () => (await statusOf(env, goodBox.id)).status === 'live');
    const { uid } = await appendMail(dovecot, good, sampleMail());
    await waitFor('pointer of the good mailbox', async () => (await readPointers(env, goodBox.id)).some((p) => p.mail!.source!.uid === uid));
    expect(await readPointers(env, badBox.id)).toEqual([]);
  });

  it('holds no more connections to one host than its cap; a waiting mailbox gets the freed slot', async () => {
    const [one, two] = [createImapUser(dovecot, 'capone'), createImapUser(dovecot, 'captwo')];
    // Only these two compete for the slot: earlier tests' mailboxes are paused.
    for (const m of await listMailboxes(env.ds)) await setMailboxStatus(env.ds, m.tenantId, m.id, { status: 'paused' });
    const boxes = [await addImapMailbox(env, dovecot, one), await addImapMailbox(env, dovecot, two)];
    start({ ...FAST, maxConnectionsPerHost: 1 });
    const first = await waitFor('one mailbox live', async () => {
      for (const b of boxes) if ((await statusOf(env, b.id)).status === 'live') return b;
      return undefined;
    });
    const other = boxes.find((b) => b !== first)!;
    expect((await statusOf(env, other.id)).status).toBe('connecting');
    expect(imapProcessesOf(other === boxes[0] ? one.user : two.user)).toEqual([]);

    await setMailboxStatus(env.ds, env.tenantId, first.id, { status: 'paused' });
    await waitFor('the other mailbox live', async () => (await statusOf(env, other.id)).status === 'live');
  });

  it('puts a mailbox with unusable settings in error instead of watching it', async () => {
    const ingress = start();
    const creds = createImapUser(dovecot, 'invalid');
    const mailbox = await addImapMailbox(env, dovecot, creds, { imap: { folders: [] } });
    const status = await waitFor('error status', async () => {
      const s = await statusOf(env, mailbox.id);
      return s.status === 'error' ? s : undefined;
    });
    expect(status.lastError).toMatch(/^CONFIG_INVALID: .*settings\.imap\.folders/);
    expect(ingress.watching()).not.toContain(`${env.tenantId}/${mailbox.id}`);
  });

  it('picks up a mailbox added while running and lets go of one that is paused', async () => {
    const ingress = start();
    const creds = createImapUser(dovecot, 'added');
    const mailbox = await addImapMailbox(env, dovecot, creds);
    const key = `${env.tenantId}/${mailbox.id}`;
    await waitFor('watching the new mailbox', async () => ingress.watching().includes(key));
    await waitFor('live', async () => (await statusOf(env, mailbox.id)).status === 'live');

    await setMailboxStatus(env.ds, env.tenantId, mailbox.id, { status: 'paused' });
    await waitFor('released', async () => !ingress.watching().includes(key));
    const { uid } = await appendMail(dovecot, creds, sampleMail());
    // Resumed by an operator: the mail that arrived while paused comes through.
    await setMailboxStatus(env.ds, env.tenantId, mailbox.id, { status: 'connecting' });
    await waitFor('pointer after resume', async () => (await readPointers(env, mailbox.id)).some((p) => p.mail!.source!.uid === uid));
  });
});
