/**
 * The fetcher against a real Dovecot, NATS (stage consumer, object store) and
 * PostgreSQL: exact bytes into the blob store and MailFetched out; expunged,
 * UIDVALIDITY-changed and oversized mail into the dead-letter subject.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNatsBlobStore, rawMailKey, sha256Hex, type BlobStore } from '@postroom/blob';
import { listDeadLetters, publishEvent, type DeadLetter } from '@postroom/bus';
import { create, fromBinary, mailIdOf, MailFetchedSchema, MailPointerSchema, Provider, type MailFetched } from '@postroom/contracts';
import { createSecretBox, type SecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, type Mailbox } from '@postroom/db';
import { appendMail, connectImap, createImapUser, createTestEnv, sampleMail, waitFor, type ImapCredentials, type TestEnv } from '@postroom/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFetcher, type Fetcher } from '../src/fetcher';

const dovecot = inject('dovecot');
const MAX_BYTES = 20_000;
let env: TestEnv;
let secrets: SecretBox;
let tenantId: string;
let blobs: BlobStore;
let fetcher: Fetcher;

beforeAll(async () => {
  env = await createTestEnv();
  secrets = createSecretBox({ key: randomBytes(32).toString('base64') });
  tenantId = (await createTenant(env.ds, { name: 'Acme', slug: `acme-${env.namespace}` })).id;
  blobs = await createNatsBlobStore(env.bus);
  fetcher = startFetcher({
    bus: env.bus, ds: env.ds, secrets, blobs, logger: env.logger, maxMessageBytes: MAX_BYTES, idleCloseMs: 5_000,
    policy: { baseDelayMs: 50, maxDelayMs: 200, maxDeliver: 3 },
  });
});

afterAll(async () => {
  await fetcher.stop();
  await env.cleanup();
});

async function mailboxFor(creds: ImapCredentials): Promise<Mailbox> {
  return createMailbox(env.ds, secrets, {
    tenantId, name: creds.user, address: `${creds.user}@example.com`, provider: 'imap',
    settings: { imap: { host: dovecot.host, port: dovecot.port, secure: false } } as never,
    credentials: { imap: { user: creds.user, password: creds.password } },
  });
}

async function publishPointer(mailbox: Mailbox, at: { uid: number; uidValidity: number; size?: number }): Promise<string> {
  const mailId = mailIdOf({ kind: 'imap', mailboxId: mailbox.id, folder: 'INBOX', ...at });
  const event = create(MailPointerSchema, {
    mail: {
      tenantId, mailboxId: mailbox.id, mailId, observedAtMs: BigInt(Date.now()),
      source: { provider: Provider.IMAP, folder: 'INBOX', uidValidity: at.uidValidity, uid: at.uid, sizeHint: BigInt(at.size ?? 0) },
    },
  });
  await publishEvent(env.bus, { subject: env.bus.subjects.mailPointer('imap'), schema: MailPointerSchema, event, msgId: `pointer:${mailId}` }, { tenantId });
  return mailId;
}

async function fetchedEvent(mailId: string): Promise<{ event: MailFetched; msgId: string } | undefined> {
  const stream = env.bus.subjects.stream('MAIL');
  const info = await env.bus.jsm.streams.info(stream);
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
    const m = await env.bus.jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (!m || m.subject !== env.bus.subjects.mailFetched) continue;
    const event = fromBinary(MailFetchedSchema, m.data);
    if (event.mail?.mailId === mailId) return { event, msgId: m.header.get('Nats-Msg-Id') };
  }
  return undefined;
}

const deadLetterOf = (code: string) =>
  waitFor(`dead letter ${code}`, async () => (await listDeadLetters(env.bus, { stage: 'fetcher' })).find((d: DeadLetter) => d.code === code));

describe('fetcher', () => {
  it('stores the exact bytes under the content hash and emits MailFetched', async () => {
    const creds = createImapUser(dovecot, 'fetch');
    const mailbox = await mailboxFor(creds);
    const raw = Buffer.from(`${sampleMail({ subject: 'Grüße', body: 'naïve café\r\nline two' })}`, 'utf8');
    const at = await appendMail(dovecot, creds, raw);
    const mailId = await publishPointer(mailbox, { ...at, size: raw.length });

    const fetched = await waitFor('MailFetched', () => fetchedEvent(mailId));
    const sha = sha256Hex(raw);
    expect(fetched.msgId).toBe(`fetched:${mailId}`);
    expect(fetched.event.raw).toMatchObject({ key: rawMailKey(tenantId, sha), sha256: sha, size: BigInt(raw.length) });
    expect(fetched.event.mail?.source?.uid).toBe(at.uid);
    expect(Buffer.from(await blobs.get(rawMailKey(tenantId, sha))).equals(raw)).toBe(true);
  });

  it('reuses one IMAP connection for the mailbox', async () => {
    const creds = createImapUser(dovecot, 'pool');
    const mailbox = await mailboxFor(creds);
    const logins = () =>
      readFileSync(join(dovecot.dir, 'dovecot.log'), 'utf8').split('\n').filter((l) => l.includes(`Login: user=<${creds.user}>`)).length;
    const appended = [];
    for (let i = 0; i < 3; i += 1) appended.push(await appendMail(dovecot, creds, sampleMail()));
    const before = logins();
    const ids = [];
    for (const at of appended) ids.push(await publishPointer(mailbox, at));
    for (const id of ids) await waitFor('MailFetched', () => fetchedEvent(id));
    expect(logins() - before).toBe(1);
  });

  it('passes on a pointer that already carries the raw bytes (SMTP, import)', async () => {
    const raw = new TextEncoder().encode(sampleMail());
    const key = rawMailKey(tenantId, sha256Hex(raw));
    await blobs.put(key, raw);
    const mailId = mailIdOf({ kind: 'content', mailboxId: 'smtp-box', sha256: sha256Hex(raw) });
    const event = create(MailPointerSchema, {
      mail: { tenantId, mailboxId: 'smtp-box', mailId, source: { provider: Provider.SMTP } },
      raw: { key, size: BigInt(raw.length), sha256: sha256Hex(raw) },
    });
    await publishEvent(env.bus, { subject: env.bus.subjects.mailPointer('smtp'), schema: MailPointerSchema, event, msgId: `pointer:${mailId}` }, { tenantId });
    const fetched = await waitFor('MailFetched', () => fetchedEvent(mailId));
    expect(fetched.event.raw?.key).toBe(key);
  });

  it('dead-letters an expunged UID with MESSAGE_GONE', async () => {
    const creds = createImapUser(dovecot, 'gone');
    const mailbox = await mailboxFor(creds);
    const at = await appendMail(dovecot, creds, sampleMail());
    const client = await connectImap(dovecot, creds);
    await client.mailboxOpen('INBOX');
    await client.messageDelete(String(at.uid), { uid: true });
    await client.logout();
    const mailId = await publishPointer(mailbox, at);

    const dead = await deadLetterOf('MESSAGE_GONE');
    expect(dead.reason).toContain(`UID ${at.uid}`);
    expect(fromBinary(MailPointerSchema, dead.data).mail?.mailId).toBe(mailId);
    expect(await fetchedEvent(mailId)).toBeUndefined();
  });

  it('dead-letters an expunged UID with MESSAGE_GONE when the pointer carries its size (one FETCH, no size check first)', async () => {
    const creds = createImapUser(dovecot, 'gone-sized');
    const mailbox = await mailboxFor(creds);
    const raw = sampleMail();
    const at = await appendMail(dovecot, creds, raw);
    const client = await connectImap(dovecot, creds);
    await client.mailboxOpen('INBOX');
    await client.messageDelete(String(at.uid), { uid: true });
    await client.logout();
    const mailId = await publishPointer(mailbox, { ...at, size: Buffer.byteLength(raw) });
    const dead = await waitFor('MESSAGE_GONE for the sized pointer', async () =>
      (await listDeadLetters(env.bus, { stage: 'fetcher' })).find((d: DeadLetter) => fromBinary(MailPointerSchema, d.data).mail?.mailId === mailId));
    expect(dead.code).toBe('MESSAGE_GONE');
    expect(dead.reason).toContain(`UID ${at.uid}`);
  });

  it('dead-letters a pointer whose UIDVALIDITY is no longer the folder\'s', async () => {
    const creds = createImapUser(dovecot, 'uidv');
    const mailbox = await mailboxFor(creds);
    const at = await appendMail(dovecot, creds, sampleMail());
    await publishPointer(mailbox, { uid: at.uid, uidValidity: at.uidValidity - 1 });
    const dead = await deadLetterOf('UIDVALIDITY_CHANGED');
    expect(dead.reason).toContain(String(at.uidValidity));
  });

  it('does not download mail above the size limit and records its headers in the dead letter', async () => {
    const creds = createImapUser(dovecot, 'big');
    const mailbox = await mailboxFor(creds);
    const raw = sampleMail({ subject: 'Huge attachment', body: 'x'.repeat(MAX_BYTES * 2) });
    // The size hint says nothing (0), so the fetcher must ask the server (RFC822.SIZE).
    const at = await appendMail(dovecot, creds, raw);
    await publishPointer(mailbox, at);
    const dead = await deadLetterOf('OVER_LIMIT');
    expect(dead.reason).toContain(`above the ${MAX_BYTES}-byte limit`);
    expect(dead.reason).toContain('Subject: Huge attachment');
  });

  it('records the headers of mail above the limit when the pointer carries its size, as ingress always does', async () => {
    const creds = createImapUser(dovecot, 'bigknown');
    const mailbox = await mailboxFor(creds);
    const raw = sampleMail({ subject: 'Known to be huge', body: 'z'.repeat(MAX_BYTES * 2) });
    const at = await appendMail(dovecot, creds, raw);
    const mailId = await publishPointer(mailbox, { ...at, size: raw.length });
    const dead = await waitFor('OVER_LIMIT with headers', async () =>
      (await listDeadLetters(env.bus, { stage: 'fetcher' })).find((d: DeadLetter) => fromBinary(MailPointerSchema, d.data).mail?.mailId === mailId));
    expect(dead.code).toBe('OVER_LIMIT');
    expect(dead.reason).toContain('Subject: Known to be huge');
    expect(await fetchedEvent(mailId)).toBeUndefined();
  });

  it('keeps mail above the limit out even when the pointer understates its size', async () => {
    const creds = createImapUser(dovecot, 'liar');
    const mailbox = await mailboxFor(creds);
    const at = await appendMail(dovecot, creds, sampleMail({ subject: 'Understated', body: 'y'.repeat(MAX_BYTES * 2) }));
    const mailId = await publishPointer(mailbox, { ...at, size: 100 });
    const dead = await waitFor('OVER_LIMIT for the understated pointer', async () =>
      (await listDeadLetters(env.bus, { stage: 'fetcher' })).find((d: DeadLetter) => fromBinary(MailPointerSchema, d.data).mail?.mailId === mailId));
    expect(dead.code).toBe('OVER_LIMIT');
    expect(await fetchedEvent(mailId)).toBeUndefined();
  });
});
