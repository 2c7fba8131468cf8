/**
 * The mailbox-actions stage against a real Dovecot, NATS and PostgreSQL: a
 * filed message (a message row holding its IMAP coordinates, and its
 * ticket.v1.message_added) is marked \Seen and/or moved only when the
 * mailbox asks for it; otherwise, and for a stale UIDVALIDITY, the source
 * mailbox is left exactly as it was. Redelivery is harmless.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createNatsBlobStore } from '@postroom/blob';
import { listDeadLetters, publishEvent } from '@postroom/bus';
import { create, Direction, TicketMessageAddedSchema } from '@postroom/contracts';
import { createSecretBox, type SecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, insertMessage, type Mailbox } from '@postroom/db';
import { appendMail, connectImap, createImapUser, createTestEnv, sampleMail, waitFor, type ImapCredentials, type TestEnv } from '@postroom/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFetcher, type Fetcher } from '../src/fetcher';

const dovecot = inject('dovecot');
let env: TestEnv;
let secrets: SecretBox;
let tenantId: string;
let fetcher: Fetcher;

beforeAll(async () => {
  env = await createTestEnv();
  secrets = createSecretBox({ key: randomBytes(32).toString('base64') });
  tenantId = (await createTenant(env.ds, { name: 'Acme', slug: `acme-${env.namespace}` })).id;
  fetcher = startFetcher({
    bus: env.bus, ds: env.ds, secrets, blobs: await createNatsBlobStore(env.bus), logger: env.logger,
    maxMessageBytes: 1_000_000, idleCloseMs: 5_000, policy: { baseDelayMs: 50, maxDelayMs: 200, maxDeliver: 3 },
  });
});

afterAll(async () => {
  await fetcher.stop();
  await env.cleanup();
});

interface Filed {
  creds: ImapCredentials;
  mailbox: Mailbox;
  rowId: string;
  messageId: string;
}

/** A Dovecot user with one message in INBOX, filed as a message row that records where it lives. */
async function filedMail(afterFiled: unknown, opts: { uidValidityOffset?: number } = {}): Promise<Filed> {
  const creds = createImapUser(dovecot, 'act');
  const mailbox = await createMailbox(env.ds, secrets, {
    tenantId, name: creds.user, address: `${creds.user}@example.com`, provider: 'imap',
    settings: { imap: { host: dovecot.host, port: dovecot.port, secure: false }, ...(afterFiled ? { afterFiled } : {}) } as never,
    credentials: { imap: { user: creds.user, password: creds.password } },
  });
  const messageId = `${randomBytes(6).toString('hex')}@customer.example`;
  const at = await appendMail(dovecot, creds, sampleMail().replace(/^Message-ID: .*$/m, `Message-ID: <${messageId}>`));
  const row = await insertMessage(env.ds, {
    tenantId, id: randomUUID(), ticketId: null, mailboxId: mailbox.id, mailId: randomBytes(16).toString('hex'), direction: 'inbound',
    messageIdHeader: messageId, inReplyTo: [], references: [], fromAddress: 'customer@example.com', fromName: null, to: [], cc: [],
    replyTo: [], subject: 'Help needed', textBody: '', htmlBody: '', kind: 'normal', verdict: null, matchedBy: 'NEW_TICKET',
    sendStatus: null, automatic: false,
  });
  await env.ds.query(
    `UPDATE messages SET source_folder = 'INBOX', source_uid_validity = $3, source_uid = $4 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, row.id, at.uidValidity + (opts.uidValidityOffset ?? 0), at.uid],
  );
  return { creds, mailbox, rowId: row.id, messageId };
}

/** Hands the message to mailbox-actions as the ticketer does (work.v1.apply_after_filed); `delivery` stands for a republish (new msgId). */
async function messageAdded(f: Filed, delivery = 0): Promise<number> {
  const event = create(TicketMessageAddedSchema, {
    ticket: { tenantId, ticketId: randomUUID(), number: 1n }, messageId: f.rowId, mailId: 'm', direction: Direction.INBOUND,
    messageIdHeader: f.messageId, mailboxId: f.mailbox.id,
  });
  const emit = { subject: env.bus.subjects.workApplyAfterFiled, schema: TicketMessageAddedSchema, event, msgId: `apply-after-filed:${f.rowId}:${delivery}` };
  return (await publishEvent(env.bus, emit, { tenantId })).seq;
}

/** Resolves once the mailbox-actions consumer has acked everything up to `seq`. */
const actedOn = (seq: number) =>
  waitFor(`mailbox-actions past seq ${seq}`, async () => {
    const info = await env.bus.jsm.consumers.info(env.bus.subjects.stream('WORK'), 'mailbox-actions');
    return info.ack_floor.stream_seq >= seq && info.num_ack_pending === 0;
  });

/** The flags of every message in `folder` by Message-ID ([] when the folder does not exist). */
async function folderContents(creds: ImapCredentials, folder: string): Promise<Array<{ messageId: string; flags: string[] }>> {
  const client = await connectImap(dovecot, creds);
  try {
    if (!(await client.list()).some((b) => b.path === folder)) return [];
    const mb = await client.mailboxOpen(folder, { readOnly: true });
    if (mb.exists === 0) return [];
    const rows = await client.fetchAll('1:*', { flags: true, envelope: true });
    // \Recent belongs to whichever session saw the message first (RFC 3501 §2.3.2), not to the message.
    return rows.map((r) => ({ messageId: (r.envelope?.messageId ?? '').replace(/[<>]/g, ''), flags: [...(r.flags ?? [])].filter((x) => x !== '\\Recent') }));
  } finally {
    await client.logout();
  }
}

const noDeadLetters = async () => expect(await listDeadLetters(env.bus, { stage: 'mailbox-actions' })).toEqual([]);

describe('mailbox-actions (afterFiled)', () => {
  it('marks the source message \\Seen once it is filed, and only then', async () => {
    const f = await filedMail({ markSeen: true });
    expect((await folderContents(f.creds, 'INBOX'))[0].flags).not.toContain('\\Seen');
    await messageAdded(f);
    const inbox = await waitFor('\\Seen on the source message', async () => {
      const list = await folderContents(f.creds, 'INBOX');
      return list[0]?.flags.includes('\\Seen') ? list : undefined;
    });
    expect(inbox).toEqual([{ messageId: f.messageId, flags: ['\\Seen'] }]);
  });

  it('moves the source message to the configured folder, creating it, and a redelivery is still success', async () => {
    const f = await filedMail({ moveTo: 'Filed' });
    await messageAdded(f);
    const filed = await waitFor('the message in Filed', async () => {
      const list = await folderContents(f.creds, 'Filed');
      return list.length > 0 ? list : undefined;
    });
    expect(filed.map((m) => m.messageId)).toEqual([f.messageId]);
    expect(filed[0].flags).not.toContain('\\Seen');
    expect(await folderContents(f.creds, 'INBOX')).toEqual([]);
    await actedOn(await messageAdded(f, 1));
    expect((await folderContents(f.creds, 'Filed')).map((m) => m.messageId)).toEqual([f.messageId]);
    await noDeadLetters();
  });

  it('marks \\Seen before moving when both are asked for', async () => {
    const f = await filedMail({ markSeen: true, moveTo: 'Done' });
    await messageAdded(f);
    const done = await waitFor('the message in Done', async () => {
      const list = await folderContents(f.creds, 'Done');
      return list.length > 0 ? list : undefined;
    });
    expect(done).toEqual([{ messageId: f.messageId, flags: ['\\Seen'] }]);
  });

  it('leaves the source mailbox untouched without afterFiled', async () => {
    const f = await filedMail(undefined);
    await actedOn(await messageAdded(f));
    expect(await folderContents(f.creds, 'INBOX')).toEqual([{ messageId: f.messageId, flags: [] }]);
    await noDeadLetters();
  });

  it('skips a message whose folder UIDVALIDITY changed: the stored UID names nothing any more', async () => {
    const f = await filedMail({ markSeen: true, moveTo: 'Filed' }, { uidValidityOffset: 1 });
    await actedOn(await messageAdded(f));
    expect(await folderContents(f.creds, 'INBOX')).toEqual([{ messageId: f.messageId, flags: [] }]);
    expect(await folderContents(f.creds, 'Filed')).toEqual([]);
    await noDeadLetters();
  });
});
