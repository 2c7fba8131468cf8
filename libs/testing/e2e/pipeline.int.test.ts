/**
 * Issue 2's acceptance tests: real Dovecot, NATS JetStream, PostgreSQL, SMTP
 * sink, and the seven services as their own processes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { create, fromBinary } from '@bufbuild/protobuf';
import { createNatsBlobStore } from '@postroom/blob';
import { listMessageAttachments, listTicketMessages, listTickets } from '@postroom/db';
import { listDeadLetters, publishEvent } from '@postroom/bus';
import { MailFetchedSchema, MailPointerSchema, mailIdOf, Provider } from '@postroom/contracts';
import { appendMail } from '../src/imap';
import { waitFor } from '../src/wait-for';
import { pipelineIsIdle, runCli, startE2E, type E2E } from './e2e-harness';
import { customerMail, customerReply, GARBAGE } from './mails';

const dovecot = inject('dovecot');
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E(dovecot);
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

const tickets = () => listTickets(e2e.env.ds.manager, e2e.tenantId);
const messagesOf = (ticketId: string) => listTicketMessages(e2e.env.ds.manager, e2e.tenantId, ticketId);
const ticketWith = (messageId: string) =>
  waitFor(`a ticket holding <${messageId}>`, async () => {
    for (const t of await tickets()) {
      const messages = await messagesOf(t.id);
      if (messages.some((m) => m.messageIdHeader === messageId)) return { ticket: t, messages };
    }
    return undefined;
  }, 60_000);

describe('an IMAP email, end to end', () => {
  it('becomes exactly one ticket with one message, addresses, bodies and attachments right', async () => {
    await appendMail(dovecot, e2e.imap, customerMail('first@customer.example', e2e.mailbox.address));
    const { ticket, messages } = await ticketWith('first@customer.example');
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(ticket.subject).toBe('Broken teapot');
    expect(ticket.requesterAddress).toBe('ada@customer.example');
    expect(message.fromAddress).toBe('ada@customer.example');
    expect(message.fromName).toBe('Ada Customer');
    expect(message.to.map((a) => a.address)).toEqual([e2e.mailbox.address]);
    expect(message.cc.map((a) => a.address)).toEqual(['grace@customer.example']);
    expect(message.textBody).toContain('The spout is cracked');
    expect(message.htmlBody).toContain('<b>cracked</b>');
    expect(message.htmlBody).not.toMatch(/<script|onerror/i);
    const attachments = await waitFor('attachment rows', async () => {
      const rows = await listMessageAttachments(e2e.env.ds.manager, e2e.tenantId, message.id);
      return rows.length === 1 ? rows : undefined;
    });
    expect(attachments[0]).toMatchObject({ filename: 'receipt.pdf', contentType: 'application/pdf', size: 17, inline: false });
  });

  it('threads the customer reply onto the same ticket and sends the agent reply with threading headers', async () => {
    const { ticket } = await ticketWith('first@customer.example');
    await appendMail(dovecot, e2e.imap, customerReply('second@customer.example', 'first@customer.example', e2e.mailbox.address));
    const threaded = await ticketWith('second@customer.example');
    expect(threaded.ticket.id).toBe(ticket.id);
    expect(threaded.messages.find((m) => m.messageIdHeader === 'second@customer.example')?.matchedBy).toBe('IN_REPLY_TO');

    const cli = runCli(e2e, ['reply', String(ticket.number), '--text', 'A new teapot is on its way.', '--tenant', e2e.tenantSlug]);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const [sent] = await e2e.sink.waitFor(1, 60_000);
    // Reply-all: the requester in To, the other participant (Cc'd on the first mail) in Cc.
    expect(sent.envelope.to.sort()).toEqual(['ada@customer.example', 'grace@customer.example']);
    expect(sent.text).toMatch(/^To: .*ada@customer\.example/m);
    expect(sent.text).toMatch(/^Cc: .*grace@customer\.example/m);
    expect(sent.text).toMatch(new RegExp(`^Subject: Re: Broken teapot \\[#${ticket.number}\\]`, 'm'));
    expect(sent.text).toMatch(/^In-Reply-To: <second@customer\.example>/m);
    expect(sent.text).toMatch(/^References: <first@customer\.example>\s+<second@customer\.example>/m);
    expect(sent.text).toMatch(new RegExp(`^From: "?E2E Support"? <${e2e.mailbox.address}>`, 'm'));
    const outbound = await waitFor('the reply marked sent', async () =>
      (await messagesOf(ticket.id)).find((m) => m.direction === 'outbound' && m.sendStatus === 'sent'));
    expect(sent.text).toContain(`Message-ID: <${outbound.messageIdHeader}>`);
  });

  it('keeps one message when the same email arrives twice and its pointer is redelivered', async () => {
    const raw = customerMail('twice@customer.example', e2e.mailbox.address);
    await appendMail(dovecot, e2e.imap, raw);
    const uid = (await appendMail(dovecot, e2e.imap, raw)).uid;
    const { ticket } = await ticketWith('twice@customer.example');
    // A pointer for the second copy that JetStream's dedupe window would not catch.
    const mailbox = e2e.mailbox;
    const uidValidity = (await waitFor('a folder cursor', async () =>
      (await e2e.env.ds.query('SELECT uid_validity FROM mailbox_folders WHERE tenant_id = $1 AND mailbox_id = $2', [e2e.tenantId, mailbox.id]))[0]))
      .uid_validity as string;
    const source = { provider: Provider.IMAP, folder: 'INBOX', uidValidity: Number(uidValidity), uid };
    const mailId = mailIdOf({ kind: 'imap', mailboxId: mailbox.id, folder: 'INBOX', uidValidity: Number(uidValidity), uid });
    await publishEvent(e2e.env.bus, {
      subject: e2e.env.bus.subjects.mailPointer('imap'), schema: MailPointerSchema, msgId: `test-redelivery:${mailId}`,
      event: create(MailPointerSchema, { mail: { tenantId: e2e.tenantId, mailboxId: mailbox.id, mailId, source, observedAtMs: BigInt(Date.now()) } }),
    });
    await waitFor('the pipeline to go idle', () => pipelineIsIdle(e2e), 60_000);
    const copies = (await messagesOf(ticket.id)).filter((m) => m.messageIdHeader === 'twice@customer.example');
    expect(copies).toHaveLength(1);
  });

  it('dead-letters a malformed email with a reason, keeps its raw bytes, and keeps flowing', async () => {
    await appendMail(dovecot, e2e.imap, GARBAGE);
    const letter = await waitFor('a parser dead letter', async () =>
      (await listDeadLetters(e2e.env.bus, { stage: 'parser' })).find((l) => l.tenantId === e2e.tenantId));
    expect(letter.code).toBe('UNPARSEABLE');
    expect(letter.reason).not.toBe('');
    // The dead letter carries the original MailFetched; its raw bytes are still in the blob store.
    const fetched = fromBinary(MailFetchedSchema, letter.data);
    const blobs = await createNatsBlobStore(e2e.env.bus);
    expect(Buffer.from(await blobs.get(fetched.raw!.key)).toString('utf8')).toContain('this is not an email');
    await appendMail(dovecot, e2e.imap, customerMail('after-garbage@customer.example', e2e.mailbox.address));
    await ticketWith('after-garbage@customer.example');
  });

  it('dead-letters a pointer whose message is gone (terminal in the fetcher)', async () => {
    const mailId = mailIdOf({ kind: 'imap', mailboxId: e2e.mailbox.id, folder: 'INBOX', uidValidity: 1, uid: 999_999 });
    await publishEvent(e2e.env.bus, {
      subject: e2e.env.bus.subjects.mailPointer('imap'), schema: MailPointerSchema, msgId: `pointer:${mailId}`,
      event: create(MailPointerSchema, {
        mail: { tenantId: e2e.tenantId, mailboxId: e2e.mailbox.id, mailId, source: { provider: Provider.IMAP, folder: 'INBOX', uidValidity: 1, uid: 999_999 } },
      }),
    });
    const letter = await waitFor('a fetcher dead letter', async () =>
      (await listDeadLetters(e2e.env.bus, { stage: 'fetcher' })).find((l) => l.tenantId === e2e.tenantId));
    expect(['MESSAGE_GONE', 'UIDVALIDITY_CHANGED']).toContain(letter.code);
  });

  it('dead-letters an oversized email with its headers, downloads none of it, and files the next one (issue 3, item 9)', async () => {
    const body = Array.from({ length: 20_000 }, () => 'x'.repeat(76)).join('\r\n'); // ~1.5 MB, over the 1 MiB limit
    const huge = customerMail('huge@customer.example', e2e.mailbox.address)
      .replace('Subject: Broken teapot', 'Subject: A very large teapot')
      .replace('The spout is cracked. Receipt attached.', body);
    await appendMail(dovecot, e2e.imap, huge);
    await appendMail(dovecot, e2e.imap, customerMail('after-huge@customer.example', e2e.mailbox.address));
    const letter = await waitFor('the OVER_LIMIT dead letter', async () =>
      (await listDeadLetters(e2e.env.bus, { stage: 'fetcher' })).find((l) => l.tenantId === e2e.tenantId && l.code === 'OVER_LIMIT'));
    expect(letter.reason).toContain('above the 1048576-byte limit');
    expect(letter.reason).toContain('Subject: A very large teapot');
    expect(letter.reason).toContain('huge@customer.example');
    await ticketWith('after-huge@customer.example');
    const filed = await Promise.all((await tickets()).map((t) => messagesOf(t.id)));
    expect(filed.flat().some((m) => m.messageIdHeader === 'huge@customer.example')).toBe(false);
  });
});
