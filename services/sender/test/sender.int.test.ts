import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import type { OutboundFailed, OutboundSent } from '@postroom/contracts';
import { attachmentKey, createNatsBlobStore, sha256Hex } from '@postroom/blob';
import { createAgentReply, getMessage, retryFailedSend } from '@postroom/db';
import { RetryableError } from '@postroom/errors';
import { createTestEnv, startSmtpSink, type SmtpSink, type TestEnv } from '@postroom/testing';
import { createOutbox, type Outbox } from './outbox';

let env: TestEnv;
let sink: SmtpSink;
let box: Outbox;

beforeAll(async () => {
  env = await createTestEnv();
  sink = await startSmtpSink();
  box = await createOutbox(env, sink);
});
afterAll(async () => {
  await sink?.close();
  await env?.cleanup();
});
beforeEach(() => {
  sink.messages.length = 0;
  sink.respondWith(() => undefined);
});

const reply = async (subject: string, inboundId: string) => {
  const ticket = await box.openTicket(subject, inboundId);
  return { ticket, request: await createAgentReply(env.ds, { tenantId: box.tenantId, ticketNumber: ticket.number, text: 'We are on it.', html: '<p>We are on it.</p>' }) };
};

describe('sender over SMTP', () => {
  it('sends an agent reply threaded into the conversation, from the mailbox, and records it as sent', async () => {
    const { ticket, request } = await reply('Printer on fire', 'p-1@customer.test');
    const emits = await box.handle(request.event);
    expect(emits.map((e) => e.msgId)).toEqual([`outbound-sent:${request.message.id}`]);
    expect((emits[0].event as OutboundSent).response).toMatch(/^250 /);

    expect(sink.messages).toHaveLength(1);
    const got = sink.messages[0];
    expect(got.user).toBe('support-smtp');
    expect(got.envelope).toEqual({ from: 'support@acme.test', to: ['alice@customer.test'] });
    const mail = await simpleParser(got.raw);
    expect(mail.from!.value[0]).toEqual({ name: 'Acme Support', address: 'support@acme.test' });
    expect(mail.to).toMatchObject({ value: [{ address: 'alice@customer.test', name: 'Alice' }] });
    expect(mail.subject).toBe(`Re: Printer on fire [#${ticket.number}]`);
    expect(mail.messageId).toBe(`<${request.message.messageIdHeader}>`);
    expect(mail.inReplyTo).toBe('<p-1@customer.test>');
    expect(mail.references).toBe('<p-1@customer.test>');
    expect(mail.text?.trim()).toBe('We are on it.');
    expect(mail.html).toContain('<p>We are on it.</p>');
    expect(mail.headers.has('auto-submitted')).toBe(false);

    const row = await getMessage(env.ds, box.tenantId, request.message.id);
    expect(row).toMatchObject({ sendStatus: 'sent', sendAttempts: 1 });
    expect(row!.sentAt).toBeInstanceOf(Date);

    // A redelivered job reports the same outcome and sends nothing.
    expect((await box.handle(request.event)).map((e) => e.msgId)).toEqual([`outbound-sent:${request.message.id}`]);
    expect(sink.attempts.filter((a) => a.text.includes(request.message.messageIdHeader))).toHaveLength(1);
  });

  it('retries after a 4xx and sends once when the server then accepts', async () => {
    const { request } = await reply('Greylisted', 'g-1@customer.test');
    sink.rejectNext(1, 451, '4.7.1 greylisted, try again later');
    await expect(box.handle(request.event)).rejects.toBeInstanceOf(RetryableError);
    expect(await getMessage(env.ds, box.tenantId, request.message.id)).toMatchObject({ sendStatus: 'pending', sendAttempts: 1 });
    const emits = await box.handle(request.event);
    expect(emits[0].msgId).toBe(`outbound-sent:${request.message.id}`);
    expect(sink.messages).toHaveLength(1);
    expect(await getMessage(env.ds, box.tenantId, request.message.id)).toMatchObject({ sendStatus: 'sent', sendAttempts: 2 });
  });

  it('marks a 5xx rejection failed with the reason, and sends after an operator retry', async () => {
    const { request } = await reply('Rejected', 'x-1@customer.test');
    sink.rejectNext(1, 550, '5.1.1 mailbox unavailable');
    const emits = await box.handle(request.event);
    expect(emits[0].msgId).toBe(`outbound-failed:${request.message.id}:1`);
    expect(emits[0].event as OutboundFailed).toMatchObject({ code: 'SMTP_REJECTED' });
    expect((emits[0].event as OutboundFailed).reason).toContain('5.1.1 mailbox unavailable');
    const failed = await getMessage(env.ds, box.tenantId, request.message.id);
    expect(failed).toMatchObject({ sendStatus: 'failed' });
    expect(failed!.sendError).toContain('550');
    expect(sink.messages).toHaveLength(0);

    const retry = await retryFailedSend(env.ds, box.tenantId, request.message.id);
    expect(retry!.msgId).toBe(`outbound-requested:${request.message.id}:retry-1`);
    expect((await box.handle(retry!.event))[0].msgId).toBe(`outbound-sent:${request.message.id}`);
    expect(sink.messages).toHaveLength(1);
    expect(await retryFailedSend(env.ds, box.tenantId, request.message.id)).toBeUndefined();
  });

  it('never re-sends a row left in sending (crash after SMTP accept); flags it for a person', async () => {
    const { request } = await reply('Crashed', 'k-1@customer.test');
    await env.ds.query(`UPDATE messages SET send_status = 'sending', send_attempts = 1 WHERE id = $1`, [request.message.id]);
    const emits = await box.handle(request.event);
    expect(emits[0].event as OutboundFailed).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(sink.attempts.some((a) => a.text.includes(request.message.messageIdHeader))).toBe(false);
    expect(await getMessage(env.ds, box.tenantId, request.message.id)).toMatchObject({ sendStatus: 'unknown' });
  });

  it('refuses CR/LF in a header value (header injection) and sends nothing', async () => {
    const { request } = await reply('Harmless', 'h-1@customer.test');
    await env.ds.query(`UPDATE messages SET subject = $2 WHERE id = $1`, [request.message.id, 'Hi\r\nBcc: victim@evil.test']);
    const emits = await box.handle(request.event);
    expect(emits[0].event as OutboundFailed).toMatchObject({ code: 'HEADER_INJECTION' });
    expect(sink.attempts.some((a) => a.text.includes(request.message.messageIdHeader))).toBe(false);
    expect(await getMessage(env.ds, box.tenantId, request.message.id)).toMatchObject({ sendStatus: 'failed' });
  });

  it('attaches files from the blob store', async () => {
    const ticket = await box.openTicket('With file', 'f-1@customer.test');
    const bytes = new TextEncoder().encode('col1,col2\n1,2\n');
    const ref = await (await createNatsBlobStore(env.bus)).put(attachmentKey(box.tenantId, sha256Hex(bytes)), bytes);
    const request = await createAgentReply(env.ds, {
      tenantId: box.tenantId, ticketNumber: ticket.number, text: 'See attached',
      attachments: [{ filename: 'report.csv', contentType: 'text/csv', blobKey: ref.key, sha256: sha256Hex(bytes), size: bytes.byteLength }],
    });
    await box.handle(request.event);
    const mail = await simpleParser(sink.messages[0].raw);
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([['report.csv', 'text/csv', 'col1,col2\n1,2\n']]);
  });

  it('marks automatic mail with Auto-Submitted and X-Auto-Response-Suppress', async () => {
    const { request } = await reply('Auto', 'a-1@customer.test');
    await env.ds.query(`UPDATE messages SET automatic = true WHERE id = $1`, [request.message.id]);
    await box.handle({ ...request.event, automatic: true });
    const mail = await simpleParser(sink.messages[0].raw);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
  });
});
