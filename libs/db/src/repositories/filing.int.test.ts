import { randomBytes, randomUUID } from 'node:crypto';
import { createSecretBox } from '@postroom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/fresh-database';
import type { Mailbox } from '../entities/mailbox.entity';
import type { Tenant } from '../entities/tenant.entity';
import { insertMessageOnNewTicket, insertMessageOnTicket, lookUpFiling, lookUpFilings } from './filing';
import { createMailbox } from './mailboxes';
import { getMessage, type NewMessage } from './messages';
import { findThreadTickets, getTicket, listParticipants } from './tickets';
import { createTenant } from './tenants';
import { inTransaction } from './transaction';

let db: FreshDatabase;
let acme: Tenant;
let support: Mailbox;

beforeAll(async () => {
  db = await freshDatabase();
  acme = await createTenant(db.ds, { name: 'Acme', slug: 'acme' });
  support = await createMailbox(db.ds, createSecretBox({ key: randomBytes(32).toString('base64') }), {
    tenantId: acme.id, name: 'Support', address: 'Support@acme.test', provider: 'imap', settings: {},
  });
});
afterAll(() => db?.cleanup());

const inbound = (messageIdHeader: string, ticketId: string): NewMessage & { ticketId: string } => ({
  tenantId: acme.id, id: randomUUID(), ticketId, mailboxId: support.id, mailId: randomUUID(), direction: 'inbound',
  messageIdHeader, inReplyTo: [], references: [], fromAddress: 'alice@customer.test', fromName: 'Alice',
  to: [{ address: 'support@acme.test', name: '' }], cc: [{ address: 'bob@customer.test', name: 'Bob' }], replyTo: [],
  subject: 'Printer on fire', textBody: 'It burns.', htmlBody: null, kind: 'normal',
  verdict: { kind: 'MAIL_KIND_NORMAL', reasons: ['a', 'b'], confidence: 0.5 }, matchedBy: 'NEW_TICKET',
  matchDetail: 'new conversation', sendStatus: null, automatic: false, receivedAt: new Date('2026-12-01T10:00:00.123Z'),
  source: { folder: 'INBOX', uidValidity: 7, uid: 42 },
});

const newTicket = { subject: 'Printer on fire', requesterAddress: 'alice@customer.test', requesterName: 'Alice' };

/** A new ticket for the email `<id>`, with that Message-ID as its one thread key. */
const openWith = (id: string) =>
  inTransaction(db.ds, (q) => insertMessageOnNewTicket(q, inbound(id, randomUUID()), newTicket, { keys: [id], people: [] }));

describe('insertMessageOnNewTicket', () => {
  it('opens a ticket with the next number, and returns the rows as the database reads them back', async () => {
    const first = await openWith('one@customer.test');
    const second = await openWith('two@customer.test');
    expect(second.ticket.number).toBe(first.ticket.number + 1);
    expect(second.message).toEqual(await getMessage(db.ds, acme.id, second.message.id));
    expect(second.ticket).toEqual(await getTicket(db.ds, acme.id, second.ticket.id));
    expect(second.message.ticketId).toBe(second.ticket.id);
  });

  it('records thread keys and participants, leaving out the tenant\'s own address', async () => {
    const { ticket } = await inTransaction(db.ds, (q) =>
      insertMessageOnNewTicket(q, inbound('three@customer.test', randomUUID()), newTicket, {
        keys: ['three@customer.test', 'parent@customer.test', ''],
        people: ['Alice@Customer.test', 'support@ACME.test', 'bob@customer.test', 'not-an-address'],
      }),
    );
    expect(await listParticipants(db.ds, acme.id, ticket.id)).toEqual(['alice@customer.test', 'bob@customer.test']);
    const known = await findThreadTickets(db.ds, acme.id, ['three@customer.test', 'parent@customer.test']);
    expect([...known.values()]).toEqual([ticket.id, ticket.id]);
  });

  it('writes nothing when the message is a duplicate (the unique key fails the whole statement)', async () => {
    const row = inbound('four@customer.test', randomUUID());
    const before = await db.ds.query(`SELECT next_ticket_number::int AS n FROM tenants WHERE id = $1`, [acme.id]);
    const err = await inTransaction(db.ds, (q) =>
      insertMessageOnNewTicket(q, { ...row, mailId: null, messageIdHeader: 'one@customer.test' }, newTicket, {
        keys: ['four@customer.test'], people: ['carol@customer.test'],
      }),
    ).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('23505');
    expect(await getTicket(db.ds, acme.id, row.ticketId)).toBeUndefined();
    expect((await findThreadTickets(db.ds, acme.id, ['four@customer.test'])).size).toBe(0);
    expect(await db.ds.query(`SELECT next_ticket_number::int AS n FROM tenants WHERE id = $1`, [acme.id])).toEqual(before);
  });
});

describe('insertMessageOnTicket', () => {
  it('adds the message to the ticket; a thread key already mapped keeps its first ticket', async () => {
    const a = await openWith('five@customer.test');
    const b = await openWith('six@customer.test');
    const reply = await inTransaction(db.ds, (q) =>
      insertMessageOnTicket(q, inbound('seven@customer.test', a.ticket.id), {
        keys: ['seven@customer.test', 'five@customer.test', 'six@customer.test'], people: ['dave@customer.test'],
      }),
    );
    expect(reply).toEqual(await getMessage(db.ds, acme.id, reply.id));
    const known = await findThreadTickets(db.ds, acme.id, ['five@customer.test', 'six@customer.test', 'seven@customer.test']);
    expect(Object.fromEntries(known)).toEqual({
      'five@customer.test': a.ticket.id, 'six@customer.test': b.ticket.id, 'seven@customer.test': a.ticket.id,
    });
    expect(await listParticipants(db.ds, acme.id, a.ticket.id)).toEqual(['dave@customer.test']);
  });
});

describe('lookUpFiling', () => {
  it('finds the earlier filing by pipeline mail id, or by Message-ID within the scope, and the tickets of known keys', async () => {
    const { message, ticket } = await openWith('eight@customer.test');
    const look = (key: { mailboxId: string | null; messageIdHeader: string; mailId: string }, keys: string[]) =>
      inTransaction(db.ds, (q) => lookUpFiling(q, { tenantId: acme.id, ...key }, keys));

    const byMailId = await look({ mailboxId: support.id, messageIdHeader: 'other@customer.test', mailId: message.mailId! }, []);
    expect(byMailId.duplicate).toEqual(message);
    expect(byMailId.threads.size).toBe(0);
    const byHeader = await look({ mailboxId: null, messageIdHeader: 'eight@customer.test', mailId: 'new' }, ['eight@customer.test', 'unknown@x']);
    expect(byHeader.duplicate?.id).toBe(message.id);
    expect(Object.fromEntries(byHeader.threads)).toEqual({ 'eight@customer.test': ticket.id });
    const otherMailbox = await look({ mailboxId: randomUUID(), messageIdHeader: 'eight@customer.test', mailId: 'new' }, []);
    expect(otherMailbox.duplicate).toBeUndefined();
  });
});

describe('lookUpFilings', () => {
  it('answers several emails in one statement, in order, as lookUpFiling answers each', async () => {
    const first = await openWith('nine@customer.test');
    const second = await openWith('ten@customer.test');
    const asks = [
      { key: { tenantId: acme.id, mailboxId: null, messageIdHeader: 'fresh@customer.test', mailId: 'fresh' }, threadKeys: ['fresh@customer.test', 'ten@customer.test'] },
      { key: { tenantId: acme.id, mailboxId: support.id, messageIdHeader: 'x@customer.test', mailId: first.message.mailId! }, threadKeys: [] },
      { key: { tenantId: acme.id, mailboxId: randomUUID(), messageIdHeader: 'nine@customer.test', mailId: 'new' }, threadKeys: ['nine@customer.test', 'ten@customer.test', 'none@x'] },
      { key: { tenantId: randomUUID(), mailboxId: null, messageIdHeader: 'nine@customer.test', mailId: 'other-tenant' }, threadKeys: ['nine@customer.test'] },
    ];
    const together = await inTransaction(db.ds, (q) => lookUpFilings(q, asks));
    const alone = await Promise.all(asks.map((a) => inTransaction(db.ds, (q) => lookUpFiling(q, a.key, a.threadKeys))));
    expect(together).toEqual(alone);
    expect(together.map((l) => [l.duplicate?.id, Object.fromEntries(l.threads)])).toEqual([
      [undefined, { 'ten@customer.test': second.ticket.id }],
      [first.message.id, {}],
      [undefined, { 'nine@customer.test': first.ticket.id, 'ten@customer.test': second.ticket.id }],
      [undefined, {}],
    ]);
  });
});
