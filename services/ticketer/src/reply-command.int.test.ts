import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCommand } from '@postroom/bus';
import { create, CreateReplyRequestSchema, fromBinary, OutboundRequestedSchema, type TicketCreated } from '@postroom/contracts';
import { getMessage } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { classified, counts, createWorld, type World } from '../test/world';
import { createHandler } from './handler';
import { replyCommandSpec, startReplyCommand } from './reply-command';

let env: TestEnv;
let world: World;
let ticketNumber: bigint;
const servers: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  env = await createTestEnv();
  world = await createWorld(env);
  const handle = createHandler({ db: env.ds, blobs: world.blobs, subjects: env.bus.subjects });
  const [created] = await handle(await classified(world, { messageId: 'q-1@customer.test', subject: 'Printer on fire' }));
  ticketNumber = (created.event as TicketCreated).ticket!.number;
  for (let i = 0; i < 2; i++) servers.push(startReplyCommand({ bus: env.bus, ds: env.ds, logger: env.logger }));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await env?.cleanup();
});

const ask = (fields: { ticketNumber?: bigint; text?: string; html?: string; cc?: string[] }) =>
  callCommand(
    env.bus,
    replyCommandSpec(env.bus.subjects),
    create(CreateReplyRequestSchema, { tenantId: world.tenantId, ticketNumber, text: 'On it', ...fields }),
    { tenantId: world.tenantId },
  );

async function outboundRows(): Promise<number> {
  const [{ n }] = await env.ds.query(`SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1 AND direction = 'outbound'`, [world.tenantId]);
  return n;
}

describe('the agent-reply command', () => {
  it('creates a pending outbound reply, threaded, and queues OutboundRequested for the sender', async () => {
    const res = await ask({ text: 'We are on it', html: '<p>We are on it</p>', cc: ['boss@customer.test'] });
    expect(res.errorCode).toBe('');
    const row = await getMessage(env.ds, world.tenantId, res.messageId);
    expect(row).toMatchObject({
      direction: 'outbound', sendStatus: 'pending', textBody: 'We are on it', htmlBody: '<p>We are on it</p>',
      messageIdHeader: res.messageIdHeader, inReplyTo: ['q-1@customer.test'], subject: `Re: Printer on fire [#${ticketNumber}]`,
      to: [{ name: 'Alice', address: 'alice@customer.test' }], cc: [{ name: '', address: 'boss@customer.test' }],
    });
    const stored = await env.bus.jsm.streams.getMessage(env.bus.subjects.stream('OUTBOUND'), { last_by_subj: env.bus.subjects.outboundRequested });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(`outbound-requested:${res.messageId}`);
    expect(fromBinary(OutboundRequestedSchema, stored!.data)).toMatchObject({
      tenantId: world.tenantId, messageId: res.messageId, ticketId: row!.ticketId, mailboxId: world.mailboxId, automatic: false,
    });
  });

  it('answers TICKET_NOT_FOUND for a ticket the tenant does not have, and writes nothing', async () => {
    const before = await counts(env.ds, world.tenantId);
    const res = await ask({ ticketNumber: ticketNumber + 1000n });
    expect(res).toMatchObject({ errorCode: 'TICKET_NOT_FOUND', messageId: '', error: `ticket #${ticketNumber + 1000n} not found` });
    expect(await counts(env.ds, world.tenantId)).toEqual(before);
  });

  it('answers INVALID_REQUEST for an empty text or a Cc that would inject a header', async () => {
    expect(await ask({ text: '  ' })).toMatchObject({ errorCode: 'INVALID_REQUEST', error: 'text is required' });
    const injected = await ask({ cc: ['eve@evil.test\r\nBcc: all@customer.test'] });
    expect(injected.errorCode).toBe('INVALID_REQUEST');
    const foreign = await callCommand(
      env.bus,
      replyCommandSpec(env.bus.subjects),
      create(CreateReplyRequestSchema, { tenantId: 'not-a-tenant', ticketNumber, text: 'x' }),
    );
    expect(foreign).toMatchObject({ errorCode: 'INVALID_REQUEST', error: 'tenant_id must be a tenant uuid' });
  });

  it('handles each request once with two replicas in the queue group', async () => {
    const before = await outboundRows();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask({ text: `reply ${i}` })));
    expect(answers.map((a) => a.errorCode)).toEqual(Array(10).fill(''));
    expect(new Set(answers.map((a) => a.messageId)).size).toBe(10);
    expect(await outboundRows()).toBe(before + 10);
  });
});
