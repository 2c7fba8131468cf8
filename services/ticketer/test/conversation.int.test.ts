import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MailKind,
  MatchedBy,
  TicketStatus,
  type BounceRecorded,
  type TicketCreated,
  type TicketMessageAdded,
  type TicketUpdated,
} from '@postroom/contracts';
import { createSecretBox } from '@postroom/crypto';
import { createAgentReply, createMailbox, getMessage, getTicket, setTicketStatus } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { classified, counts, createWorld, type World } from './world';

let env: TestEnv;
let world: World;
let handle: ReturnType<typeof createHandler>;

beforeAll(async () => {
  env = await createTestEnv();
  world = await createWorld(env);
  handle = createHandler({ db: env.ds, blobs: world.blobs, subjects: env.bus.subjects });
});
afterAll(async () => env?.cleanup());

async function openTicket(messageId: string): Promise<TicketCreated> {
  return (await handle(await classified(world, { messageId })))[0].event as TicketCreated;
}

describe('ticketer conversations', () => {
  it('links the bounce of our reply to it: bounce_received_at set, bounce on the ticket, no new ticket', async () => {
    const ticket = await openTicket('b-1@customer.test');
    const reply = await createAgentReply(env.ds, { tenantId: world.tenantId, ticketNumber: Number(ticket.ticket!.number), text: 'On it' });
    const before = await counts(env.ds, world.tenantId);
    const emits = await handle(
      await classified(world, {
        messageId: 'dsn-1@mx.customer.test', from: 'MAILER-DAEMON@mx.customer.test', subject: 'Undelivered Mail Returned to Sender',
        kind: MailKind.BOUNCE,
        bounce: { recipients: ['alice@customer.test'], status: '5.1.1', permanent: true, originalMessageId: reply.message.messageIdHeader },
      }),
    );
    expect((await counts(env.ds, world.tenantId)).tickets).toBe(before.tickets);
    expect((await getMessage(env.ds, world.tenantId, reply.message.id))!.bounceReceivedAt).toBeInstanceOf(Date);
    const bounce = emits.find((e) => e.msgId.startsWith('bounce-recorded:'))!.event as BounceRecorded;
    expect(bounce.messageId).toBe(reply.message.id);
    expect(bounce.ticket!.ticketId).toBe(ticket.ticket!.ticketId);
    expect(bounce.report!.status).toBe('5.1.1');
    const added = emits.find((e) => e.msgId.startsWith('message-added:'))!.event as TicketMessageAdded;
    expect(added).toMatchObject({ matchedBy: MatchedBy.BOUNCE, kind: MailKind.BOUNCE });
  });

  it('stores a bounce for mail we never sent without a ticket', async () => {
    const emits = await handle(
      await classified(world, { messageId: 'dsn-2@mx.test', kind: MailKind.BOUNCE, bounce: { originalMessageId: 'unknown@elsewhere.test' } }),
    );
    expect(emits).toEqual([]);
    const [row] = await env.ds.query(`SELECT ticket_id, kind FROM messages WHERE message_id_header = 'dsn-2@mx.test'`);
    expect(row).toEqual({ ticket_id: null, kind: 'bounce' });
  });

  it('reopens a solved ticket on a customer reply, but not on an out-of-office reply', async () => {
    const ticket = await openTicket('r-1@customer.test');
    const id = ticket.ticket!.ticketId;
    await setTicketStatus(env.ds, world.tenantId, id, 'solved');
    const ooo = await handle(
      await classified(world, { messageId: 'r-ooo@customer.test', inReplyTo: ['r-1@customer.test'], kind: MailKind.OUT_OF_OFFICE }),
    );
    expect(ooo.map((e) => e.msgId.split(':')[0])).toEqual(['message-added']);
    expect((ooo[0].event as TicketMessageAdded).kind).toBe(MailKind.OUT_OF_OFFICE);
    expect((await getTicket(env.ds, world.tenantId, id))!.status).toBe('solved');

    const reply = await handle(await classified(world, { messageId: 'r-2@customer.test', inReplyTo: ['r-1@customer.test'] }));
    expect(reply.map((e) => e.msgId.split(':')[0])).toEqual(['message-added', 'ticket-updated']);
    expect(reply[1].event as TicketUpdated).toMatchObject({ status: TicketStatus.OPEN, previousStatus: TicketStatus.SOLVED });
    expect((await getTicket(env.ds, world.tenantId, id))!.status).toBe('open');
  });

  it('never opens a ticket for an auto-reply that answers nothing we know', async () => {
    const before = await counts(env.ds, world.tenantId);
    expect(await handle(await classified(world, { messageId: 'auto@x.test', kind: MailKind.AUTO_REPLY }))).toEqual([]);
    expect(await counts(env.ds, world.tenantId)).toEqual({ tickets: before.tickets, messages: before.messages + 1 });
  });

  it('threads a customer reply to our agent reply by In-Reply-To', async () => {
    const ticket = await openTicket('c-1@customer.test');
    const reply = await createAgentReply(env.ds, { tenantId: world.tenantId, ticketNumber: Number(ticket.ticket!.number), text: 'Hi' });
    const answer = await handle(
      await classified(world, { messageId: 'c-2@customer.test', inReplyTo: [reply.message.messageIdHeader], subject: 'Re: whatever' }),
    );
    expect(answer[0].event as TicketMessageAdded).toMatchObject({ matchedBy: MatchedBy.IN_REPLY_TO, ticket: { ticketId: ticket.ticket!.ticketId } });
  });

  it('files the same Message-ID arriving in a second mailbox once (tenant dedupe scope)', async () => {
    const first = await handle(await classified(world, { messageId: 'cc-both@customer.test' }));
    const sales = await createMailbox(env.ds, createSecretBox({ key: Buffer.alloc(32, 7).toString('base64') }), {
      tenantId: world.tenantId, name: 'Sales', address: 'sales@acme.test', provider: 'imap', settings: {},
    });
    const copy = await handle(await classified(world, { messageId: 'cc-both@customer.test', mailboxId: sales.id }));
    expect(copy.map((e) => e.msgId)).toEqual(first.map((e) => e.msgId));
    const [{ n }] = await env.ds.query(`SELECT count(*)::int AS n FROM messages WHERE message_id_header = 'cc-both@customer.test'`);
    expect(n).toBe(1);
  });
});
