/**
 * What each kind does, per mailbox (`settings.classification`): stored, on
 * the related ticket, or a ticket anyway; and what a bounce of our mail does
 * whatever the setting (bounce_received_at, the suppression list).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailKind, type BounceRecorded, type TicketCreated } from '@postroom/contracts';
import { createSecretBox } from '@postroom/crypto';
import { createAgentReply, createMailbox, getMessage, getTicket, listSuppressions, setTicketStatus } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { DEFAULT_POLICY } from '../src/ports';
import { classified, createWorld, type MailSpec, type World } from './world';

let env: TestEnv;
let world: World;
let handle: ReturnType<typeof createHandler>;
/** A mailbox that turns every default around. */
let custom: string;
const NOW = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  env = await createTestEnv();
  world = await createWorld(env, { autoResponse: { enabled: true, text: 'Got it' } });
  const box = await createMailbox(env.ds, createSecretBox({ key: randomBytes(32).toString('base64') }), {
    tenantId: world.tenantId, name: 'Custom', address: 'custom@acme.test', provider: 'imap',
    settings: {
      autoResponse: { enabled: true, text: 'Got it' },
      classification: { spam: 'ticket', auto_reply: 'store', out_of_office: 'ticket', bounce: 'store', bulk: 'attach', loop: 'attach' },
    },
  });
  custom = box.id;
  handle = createHandler({ db: env.ds, blobs: world.blobs, subjects: env.bus.subjects, policy: DEFAULT_POLICY, clock: () => NOW });
});
afterAll(async () => env?.cleanup());

const kinds = async (spec: MailSpec) => (await handle(await classified(world, spec))).map((e) => e.msgId.split(':')[0]);
const rowOf = async (messageId: string) =>
  (await env.ds.query(`SELECT ticket_id AS "ticketId", kind FROM messages WHERE message_id_header = $1`, [messageId]))[0];

async function ticketWithReply(mailboxId: string, messageId: string) {
  const created = (await handle(await classified(world, { messageId, mailboxId, from: 'cat@ten.test' })))[0].event as TicketCreated;
  const number = Number(created.ticket!.number);
  const reply = await createAgentReply(env.ds, { tenantId: world.tenantId, ticketNumber: number, text: 'Done' });
  return { ticketId: created.ticket!.ticketId, reply: reply.message };
}

describe('classification settings per mailbox', () => {
  it('stores spam and lists by default, and opens a ticket for spam where the mailbox says so, never auto-answered', async () => {
    expect(await kinds({ messageId: 'spam-1@x.test', kind: MailKind.SPAM })).toEqual([]);
    expect(await rowOf('spam-1@x.test')).toEqual({ ticketId: null, kind: 'spam' });
    expect(await kinds({ messageId: 'spam-2@x.test', kind: MailKind.SPAM, mailboxId: custom })).toEqual(['ticket-created', 'message-added']);
    expect((await rowOf('spam-2@x.test')).ticketId).not.toBeNull();
  });

  it('stores an auto-reply instead of attaching it, and reopens on an out-of-office where the mailbox says so', async () => {
    const { ticketId, reply } = await ticketWithReply(custom, 'ooo-base@ten.test');
    const answer = { inReplyTo: [reply.messageIdHeader], mailboxId: custom, from: 'cat@ten.test' };
    expect(await kinds({ ...answer, messageId: 'ar@ten.test', kind: MailKind.AUTO_REPLY })).toEqual([]);
    expect(await rowOf('ar@ten.test')).toEqual({ ticketId: null, kind: 'auto_reply' });
    await setTicketStatus(env.ds, world.tenantId, ticketId, 'solved');
    expect(await kinds({ ...answer, messageId: 'ooo@ten.test', kind: MailKind.OUT_OF_OFFICE })).toEqual(['message-added', 'ticket-updated']);
    expect((await getTicket(env.ds, world.tenantId, ticketId))!.status).toBe('open');
  });

  it('attaches list mail that answers a ticket, and falls back to the default for a value a kind does not allow', async () => {
    const { ticketId, reply } = await ticketWithReply(custom, 'list-base@ten.test');
    const answer = { inReplyTo: [reply.messageIdHeader], mailboxId: custom };
    expect(await kinds({ ...answer, messageId: 'list@ten.test', kind: MailKind.BULK })).toEqual(['message-added']);
    expect((await rowOf('list@ten.test')).ticketId).toBe(ticketId);
    expect(await kinds({ ...answer, messageId: 'loop@ten.test', kind: MailKind.LOOP })).toEqual([]);
    expect((await rowOf('loop@ten.test')).ticketId).toBeNull();
  });

  it('suppresses the recipient of a bounced reply and reports it on the ticket, but keeps a stored bounce off the ticket', async () => {
    const { ticketId, reply } = await ticketWithReply(custom, 'b-base@ten.test');
    const emits = await handle(
      await classified(world, {
        messageId: 'dsn-store@mx.ten.test', mailboxId: custom, from: 'MAILER-DAEMON@mx.ten.test', kind: MailKind.BOUNCE,
        bounce: { recipients: ['cat@ten.test'], status: '5.1.1', permanent: true, originalMessageId: reply.messageIdHeader },
      }),
    );
    expect(emits.map((e) => e.msgId.split(':')[0])).toEqual(['bounce-recorded']);
    expect((emits[0].event as BounceRecorded).ticket!.ticketId).toBe(ticketId);
    expect(await rowOf('dsn-store@mx.ten.test')).toEqual({ ticketId: null, kind: 'bounce' });
    expect((await getMessage(env.ds, world.tenantId, reply.id))!.bounceReceivedAt).toBeInstanceOf(Date);
    const [row] = await listSuppressions(env.ds, world.tenantId, { at: NOW });
    expect(row).toMatchObject({
      address: 'cat@ten.test', statusCode: '5.1.1', bouncedMessageId: reply.id, createdAt: NOW,
      expiresAt: new Date(NOW.getTime() + 30 * 86_400_000),
    });
    expect(row.reason).toMatch(/^permanent bounce 5\.1\.1/);
  });
});

describe('bounce: ticket', () => {
  let mailboxId: string;
  beforeAll(async () => {
    const box = await createMailbox(env.ds, createSecretBox({ key: randomBytes(32).toString('base64') }), {
      tenantId: world.tenantId, name: 'Loud', address: 'loud@acme.test', provider: 'imap', settings: { classification: { bounce: 'ticket' } },
    });
    mailboxId = box.id;
  });

  it('opens a ticket for a bounce of nothing we sent, and reopens the ticket of a bounced reply', async () => {
    expect(await kinds({ messageId: 'dsn-new@mx.test', mailboxId, kind: MailKind.BOUNCE, bounce: { originalMessageId: 'x@else.test' } })).toEqual([
      'ticket-created', 'message-added',
    ]);
    const { ticketId, reply } = await ticketWithReply(mailboxId, 'loud-base@ten.test');
    await setTicketStatus(env.ds, world.tenantId, ticketId, 'solved');
    const bounce = { originalMessageId: reply.messageIdHeader, permanent: false, status: '4.2.2' };
    expect(await kinds({ messageId: 'dsn-reopen@mx.test', mailboxId, kind: MailKind.BOUNCE, bounce })).toEqual([
      'message-added', 'ticket-updated', 'bounce-recorded',
    ]);
    expect((await getTicket(env.ds, world.tenantId, ticketId))!.status).toBe('open');
  });
});
