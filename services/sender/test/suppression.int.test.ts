/**
 * The sender and the suppression list, against real PostgreSQL, NATS and an
 * SMTP sink: a suppressed recipient is never mailed while the entry lasts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundFailed, OutboundSent } from '@postroom/contracts';
import { createAgentReply, getMessage, removeSuppression, retryFailedSend, suppressAddresses } from '@postroom/db';
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
beforeEach(async () => {
  sink.messages.length = 0;
  await env.ds.query(`DELETE FROM suppressions`);
});

const DAY = 86_400_000;
const suppress = (address: string, expiresAt = new Date(Date.now() + 30 * DAY)) =>
  suppressAddresses(env.ds, {
    tenantId: box.tenantId, addresses: [address], reason: 'permanent bounce 5.1.1: user unknown', statusCode: '5.1.1',
    bouncedMessageId: null, at: new Date(Date.now() - DAY), expiresAt,
  });

const reply = async (subject: string, inboundId: string, cc: string[] = []) => {
  const ticket = await box.openTicket(subject, inboundId);
  return createAgentReply(env.ds, { tenantId: box.tenantId, ticketNumber: ticket.number, text: 'Hello again', cc });
};

describe('sender and suppressed recipients', () => {
  it('fails a send to a suppressed recipient with RECIPIENT_SUPPRESSED, and sends after an operator lifts it', async () => {
    await suppress('Alice@Customer.test');
    const request = await reply('Gone', 's-1@customer.test');
    const emits = await box.handle(request.event);
    expect(emits.map((e) => [e.subject, e.msgId])).toEqual([[env.bus.subjects.outboundFailed, `outbound-failed:${request.message.id}:1`]]);
    const failed = emits[0].event as OutboundFailed;
    expect(failed.code).toBe('RECIPIENT_SUPPRESSED');
    expect(failed.reason).toContain('alice@customer.test (permanent bounce 5.1.1: user unknown, until ');
    expect(sink.attempts.some((a) => a.text.includes(request.message.messageIdHeader))).toBe(false);
    expect(await getMessage(env.ds, box.tenantId, request.message.id)).toMatchObject({ sendStatus: 'failed' });

    expect(await removeSuppression(env.ds, box.tenantId, 'alice@customer.test')).toBe(true);
    const retry = await retryFailedSend(env.ds, box.tenantId, request.message.id);
    expect((await box.handle(retry!.event))[0].event as OutboundSent).toMatchObject({ messageId: request.message.id });
    expect(sink.messages.map((m) => m.envelope.to)).toEqual([['alice@customer.test']]);
  });

  it('leaves a suppressed recipient out, sends to the rest, and names it in send_error', async () => {
    await suppress('alice@customer.test');
    const request = await reply('Partly gone', 's-2@customer.test', ['carol@customer.test']);
    const emits = await box.handle(request.event);
    expect(emits[0].msgId).toBe(`outbound-sent:${request.message.id}`);
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0].envelope.to).toEqual(['carol@customer.test']);
    expect(sink.messages[0].text).not.toContain('alice@customer.test');
    const row = await getMessage(env.ds, box.tenantId, request.message.id);
    expect(row).toMatchObject({ sendStatus: 'sent' });
    expect(row!.sendError).toMatch(/^not sent to suppressed recipients: alice@customer\.test \(permanent bounce 5\.1\.1/);
  });

  it('mails an address again once its suppression expired', async () => {
    await suppress('alice@customer.test', new Date(Date.now() - 1000));
    const request = await reply('Back', 's-3@customer.test');
    expect((await box.handle(request.event))[0].msgId).toBe(`outbound-sent:${request.message.id}`);
    expect(sink.messages.map((m) => m.envelope.to)).toEqual([['alice@customer.test']]);
    expect((await getMessage(env.ds, box.tenantId, request.message.id))!.sendError).toBeNull();
  });
});
