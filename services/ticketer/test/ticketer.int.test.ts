import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailKind, MatchedBy, type TicketCreated, type TicketMessageAdded } from '@postroom/contracts';
import { getTicket, listParticipants, listTicketMessages } from '@postroom/db';
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

describe('ticketer', () => {
  it('opens one ticket with one message for a new email, addresses, subject and bodies intact', async () => {
    const mail = await classified(world, {
      messageId: 'first@customer.test', from: 'Bob@Customer.test', fromName: 'Bob', cc: ['carol@customer.test'],
      subject: 'Re: Invoice missing', text: 'Where is my invoice?', html: '<p>Where is my <b>invoice</b>?</p>',
    });
    expect(mail.parsed?.body).toBeUndefined(); // the body rides inline, as the parser sends a small one
    const emits = await handle(mail);
    expect(emits.map((e) => e.msgId.split(':')[0])).toEqual(['ticket-created', 'message-added']);
    const created = emits[0].event as TicketCreated;
    const added = emits[1].event as TicketMessageAdded;
    expect(emits[0].subject).toBe(env.bus.subjects.ticketCreated);
    expect(emits[0].msgId).toBe(`ticket-created:${created.ticket!.ticketId}`);
    expect(emits[1].msgId).toBe(`message-added:${added.messageId}`);
    expect(added.matchedBy).toBe(MatchedBy.NEW_TICKET);

    const ticket = await getTicket(env.ds, world.tenantId, created.ticket!.ticketId);
    expect(ticket).toMatchObject({ subject: 'Invoice missing', status: 'open', requesterAddress: 'bob@customer.test', requesterName: 'Bob' });
    expect(Number(created.ticket!.number)).toBe(ticket!.number);
    const [message] = await listTicketMessages(env.ds, world.tenantId, ticket!.id);
    expect(message).toMatchObject({
      direction: 'inbound', messageIdHeader: 'first@customer.test', fromAddress: 'bob@customer.test', fromName: 'Bob',
      subject: 'Re: Invoice missing', textBody: 'Where is my invoice?', htmlBody: '<p>Where is my <b>invoice</b>?</p>',
      kind: 'normal', matchedBy: 'NEW_TICKET',
    });
    expect(message.to).toEqual([{ name: '', address: world.address }]);
    expect(message.cc).toEqual([{ name: '', address: 'carol@customer.test' }]);
    expect(await listParticipants(env.ds, world.tenantId, ticket!.id)).toEqual(['bob@customer.test', 'carol@customer.test']);
  });

  it('reads a body the parser stored as a blob (one over the inline cap) when the event carries none inline', async () => {
    const text = 'Long log follows. '.repeat(4000);
    const mail = await classified(world, { messageId: 'long@customer.test', text, html: '<pre>log</pre>', bodyInBlob: true });
    expect(mail.parsed?.inlineBody).toBeUndefined();
    const created = (await handle(mail))[0].event as TicketCreated;
    const [message] = await listTicketMessages(env.ds, world.tenantId, created.ticket!.ticketId);
    expect(message).toMatchObject({ textBody: text, htmlBody: '<pre>log</pre>' });
  });

  it('files a reply (In-Reply-To) on the same ticket and numbers new tickets upwards', async () => {
    const first = (await handle(await classified(world, { messageId: 'q1@customer.test' })))[0].event as TicketCreated;
    const reply = await handle(await classified(world, { messageId: 'q2@customer.test', inReplyTo: ['q1@customer.test'], subject: 'Re: Printer on fire' }));
    expect(reply.map((e) => e.msgId.split(':')[0])).toEqual(['message-added']);
    const added = reply[0].event as TicketMessageAdded;
    expect(added.ticket!.ticketId).toBe(first.ticket!.ticketId);
    expect(added.matchedBy).toBe(MatchedBy.IN_REPLY_TO);
    const other = (await handle(await classified(world, { messageId: 'q3@customer.test' })))[0].event as TicketCreated;
    expect(other.ticket!.number).toBe(first.ticket!.number + 1n);
  });

  it('treats the same email handled twice, and fifty times at once, as one message, republishing the same events', async () => {
    const mail = await classified(world, { messageId: 'dup@customer.test' });
    const first = await handle(mail);
    const again = await handle(mail);
    expect(again.map((e) => e.msgId)).toEqual(first.map((e) => e.msgId));
    const before = await counts(env.ds, world.tenantId);
    const storm = await classified(world, { messageId: 'storm@customer.test' });
    const results = await Promise.all(Array.from({ length: 50 }, () => handle(storm)));
    const after = await counts(env.ds, world.tenantId);
    expect(after).toEqual({ tickets: before.tickets + 1, messages: before.messages + 1 });
    expect(new Set(results.map((r) => r.map((e) => e.msgId).join()))).toHaveProperty('size', 1);
  });

  it('stores spam with its verdict and no ticket, and publishes nothing', async () => {
    const before = await counts(env.ds, world.tenantId);
    const emits = await handle(await classified(world, { messageId: 'spam@spammer.test', kind: MailKind.SPAM }));
    expect(emits).toEqual([]);
    const after = await counts(env.ds, world.tenantId);
    expect(after).toEqual({ tickets: before.tickets, messages: before.messages + 1 });
    const [row] = await env.ds.query(`SELECT ticket_id, kind, verdict FROM messages WHERE message_id_header = 'spam@spammer.test'`);
    expect(row).toMatchObject({ ticket_id: null, kind: 'spam', verdict: { kind: 'MAIL_KIND_SPAM' } });
  });

  it('threads a conversation of five mails delivered in reverse order into one ticket', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `conv-${i}@customer.test`);
    const mails = await Promise.all(
      ids.map((id, i) => classified(world, { messageId: id, inReplyTo: i > 0 ? [ids[i - 1]] : [], references: ids.slice(0, i) })),
    );
    for (const mail of [...mails].reverse()) await handle(mail);
    const rows = await env.ds.query(
      `SELECT DISTINCT ticket_id FROM messages WHERE tenant_id = $1 AND message_id_header = ANY($2::text[])`,
      [world.tenantId, ids],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].ticket_id).not.toBeNull();
  });

  it('gives a stranger who quotes another ticket number a new ticket, with the reason; a participant joins by tag', async () => {
    const original = (await handle(await classified(world, { messageId: 'tag-1@customer.test', from: 'dave@customer.test' })))[0]
      .event as TicketCreated;
    const tag = `[#${original.ticket!.number}]`;
    const stranger = await handle(await classified(world, { messageId: 'tag-2@evil.test', from: 'mallory@evil.test', subject: `Hi ${tag}` }));
    const created = stranger[0].event as TicketCreated;
    expect(created.ticket!.ticketId).not.toBe(original.ticket!.ticketId);
    const [row] = await env.ds.query(`SELECT matched_by, match_detail FROM messages WHERE message_id_header = 'tag-2@evil.test'`);
    expect(row.matched_by).toBe('NEW_TICKET');
    expect(row.match_detail).toContain(`${tag} ignored: mallory@evil.test is not a participant`);
    expect(created.subject).toBe('Hi');

    const colleague = await handle(await classified(world, { messageId: 'tag-3@customer.test', from: 'erin@customer.test', subject: `Re: x ${tag}` }));
    expect((colleague[0].event as TicketMessageAdded).ticket!.ticketId).toBe(original.ticket!.ticketId);
    expect((colleague[0].event as TicketMessageAdded).matchedBy).toBe(MatchedBy.SUBJECT_TAG);
  });
});
