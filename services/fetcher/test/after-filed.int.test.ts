/**
 * Issue 3 item 8 end to end: the seven services as processes on a real
 * Dovecot, NATS and PostgreSQL. A mailbox with afterFiled { markSeen, moveTo }
 * sees its customer mail marked \Seen and moved once the ticket exists; its
 * spam (stored without a ticket) and every mail of a mailbox without
 * afterFiled stay in INBOX exactly as they arrived.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, getMailbox, type Mailbox } from '@postroom/db';
import { appendMail, connectImap, createImapUser, sampleMail, waitFor, type ImapCredentials } from '@postroom/testing';
import { pipelineIsIdle, startE2E, type E2E } from '../../../libs/testing/e2e/e2e-harness';

const dovecot = inject('dovecot');
let e2e: E2E;
let plain: { mailbox: Mailbox; imap: ImapCredentials };

beforeAll(async () => {
  e2e = await startE2E(dovecot, { afterFiled: { markSeen: true, moveTo: 'Filed' } });
  const imap = createImapUser(dovecot, 'plain');
  const mailbox = await createMailbox(e2e.env.ds, createSecretBox({ key: e2e.serviceEnv.ENCRYPTION_KEY }), {
    tenantId: e2e.tenantId, name: 'Plain', address: `plain-${e2e.env.namespace}@e2e.example`, displayName: null, provider: 'imap',
    settings: { imap: { host: dovecot.host, port: dovecot.port, secure: false, startTls: false }, backfill: { mode: 'none' } },
    credentials: { imap: { user: imap.user, password: imap.password } },
  });
  plain = { mailbox, imap };
  // backfill none: mail that arrives before the first sync is deliberately skipped, so wait until both are live.
  for (const id of [e2e.mailbox.id, mailbox.id]) {
    await waitFor(`mailbox ${id} live`, async () => (await getMailbox(e2e.env.ds, e2e.tenantId, id))?.status === 'live', 60_000);
  }
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

const messageIdOf = (raw: string) => /^Message-ID: <([^>]+)>/m.exec(raw)![1];

interface Row { id: string; kind: string; ticket_id: string | null; source_folder: string | null; source_uid_validity: string | null; source_uid: string | null }

const rowOf = (messageId: string) =>
  waitFor(`message row <${messageId}>`, async () => {
    const rows: Row[] = await e2e.env.ds.query(
      `SELECT id, kind, ticket_id, source_folder, source_uid_validity, source_uid FROM messages WHERE tenant_id = $1 AND message_id_header = $2`,
      [e2e.tenantId, messageId],
    );
    return rows[0];
  }, 60_000);

async function folderContents(creds: ImapCredentials, folder: string): Promise<Array<{ messageId: string; flags: string[] }>> {
  const client = await connectImap(dovecot, creds);
  try {
    if (!(await client.list()).some((b) => b.path === folder)) return [];
    if ((await client.mailboxOpen(folder, { readOnly: true })).exists === 0) return [];
    const rows = await client.fetchAll('1:*', { flags: true, envelope: true });
    // \Recent belongs to a session (RFC 3501 §2.3.2), not to the message.
    return rows.map((r) => ({ messageId: (r.envelope?.messageId ?? '').replace(/[<>]/g, ''), flags: [...(r.flags ?? [])].filter((x) => x !== '\\Recent') }));
  } finally {
    await client.logout();
  }
}

/** The WORK stream sequence of the ticketer's hand-off of a row to mailbox-actions, if it published one. */
async function handOffSeq(rowId: string): Promise<number | undefined> {
  const stream = e2e.env.bus.subjects.stream('WORK');
  const { state } = await e2e.env.bus.jsm.streams.info(stream);
  for (let seq = state.first_seq; seq <= state.last_seq; seq += 1) {
    const m = await e2e.env.bus.jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (m?.header.get('Nats-Msg-Id') === `apply-after-filed:${rowId}`) return seq;
  }
  return undefined;
}

describe('afterFiled, end to end', () => {
  it('marks \\Seen and moves filed mail only; spam and mailboxes without afterFiled stay untouched', async () => {
    const customer = sampleMail({ subject: 'Order 1234 never arrived', to: e2e.mailbox.address });
    const spam = `X-Spam-Flag: YES\r\n${sampleMail({ subject: 'Cheap watches', to: e2e.mailbox.address })}`;
    const other = sampleMail({ subject: 'Invoice question', to: plain.mailbox.address });
    const at = await appendMail(dovecot, e2e.imap, customer);
    await appendMail(dovecot, e2e.imap, spam);
    await appendMail(dovecot, plain.imap, other);

    const filed = await rowOf(messageIdOf(customer));
    expect(filed.ticket_id).not.toBeNull();
    expect(filed).toMatchObject({ source_folder: 'INBOX', source_uid_validity: String(at.uidValidity), source_uid: String(at.uid) });
    expect(await rowOf(messageIdOf(spam))).toMatchObject({ kind: 'spam', ticket_id: null });
    const otherRow = await rowOf(messageIdOf(other));
    expect(otherRow.ticket_id).not.toBeNull();

    const moved = await waitFor('the customer mail in Filed', async () => {
      const list = await folderContents(e2e.imap, 'Filed');
      return list.length > 0 ? list : undefined;
    }, 60_000);
    expect(moved).toEqual([{ messageId: messageIdOf(customer), flags: ['\\Seen'] }]);
    // Only the mailbox with afterFiled hands its filed mail to mailbox-actions; the stage then has nothing left.
    await waitFor('the pipeline idle', async () => pipelineIsIdle(e2e), 60_000);
    expect(await handOffSeq(filed.id)).toBeGreaterThan(0);
    expect(await handOffSeq(otherRow.id)).toBeUndefined();
    expect(await folderContents(e2e.imap, 'INBOX')).toEqual([{ messageId: messageIdOf(spam), flags: [] }]);
    expect(await folderContents(plain.imap, 'INBOX')).toEqual([{ messageId: messageIdOf(other), flags: [] }]);
  });
});
