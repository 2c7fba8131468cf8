import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailKind, type OutboundRequested } from '@postroom/contracts';
import { getMessage, isHardBounced } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { DEFAULT_POLICY } from '../src/ports';
import { classified, createWorld, type MailSpec, type World } from './world';

let env: TestEnv;
let world: World;
let handle: ReturnType<typeof createHandler>;

const template = {
  enabled: true,
  subject: 'We got it: {{subject}} [#{{ticket_number}}]',
  text: 'Hi {{sender_name}}, {{mailbox_name}} at {{organisation_name}} opened ticket {{ticket_number}}.',
  html: '<p>Hi {{sender_name}}</p>',
};

beforeAll(async () => {
  env = await createTestEnv();
  world = await createWorld(env, { autoResponse: template });
  handle = createHandler({
    db: env.ds, blobs: world.blobs, subjects: env.bus.subjects,
    policy: { ...DEFAULT_POLICY, autoResponse: { perRecipient: [{ max: 3, windowMs: 3_600_000 }], perTicket: 1 } },
  });
});
afterAll(async () => env?.cleanup());

const requested = async (spec: MailSpec): Promise<OutboundRequested[]> =>
  (await handle(await classified(world, spec))).filter((e) => e.msgId.startsWith('outbound-requested:')).map((e) => e.event as OutboundRequested);

describe('auto-responses', () => {
  it('acknowledges a new ticket once, rendered from the mailbox template, threaded to the mail', async () => {
    const [request] = await requested({ messageId: 'ar-1@one.test', from: 'ann@one.test', fromName: 'Ann <b>', subject: 'Broken' });
    expect(request).toMatchObject({ tenantId: world.tenantId, mailboxId: world.mailboxId, automatic: true });
    const row = await getMessage(env.ds, world.tenantId, request.messageId);
    expect(row).toMatchObject({
      direction: 'outbound', automatic: true, sendStatus: 'pending', inReplyTo: ['ar-1@one.test'], references: ['ar-1@one.test'],
      to: [{ name: 'Ann <b>', address: 'ann@one.test' }],
      textBody: `Hi Ann <b>, Acme Support at Acme Inc opened ticket ${/\d+/.exec(row!.subject!)![0]}.`,
      htmlBody: '<p>Hi Ann &lt;b&gt;</p>',
    });
    expect(row!.subject).toMatch(/^We got it: Broken \[#\d+\]$/);
    // A redelivery republishes the same request; a reply on the ticket gets none.
    expect((await requested({ messageId: 'ar-1@one.test', from: 'ann@one.test' }))[0].messageId).toBe(request.messageId);
    expect(await requested({ messageId: 'ar-2@one.test', from: 'ann@one.test', inReplyTo: ['ar-1@one.test'] })).toEqual([]);
  });

  it.each<[string, Partial<MailSpec>]>([
    ['an out-of-office reply', { kind: MailKind.OUT_OF_OFFICE }],
    ['Auto-Submitted mail', { headers: { 'Auto-Submitted': 'auto-generated' } }],
    ['a mailing list', { headers: { 'List-Id': '<news.one.test>' } }],
    ['Precedence: bulk', { headers: { Precedence: 'bulk' } }],
    ['imported backlog', { imported: true }],
    ['our own address', { from: 'support@acme.test' }],
  ])('sends none to %s', async (_, spec) => {
    expect(await requested({ messageId: `none-${Math.random()}@x.test`, from: 'bea@two.test', ...spec })).toEqual([]);
  });

  it('sends none to an address a permanent bounce of our mail suppressed, but ignores forged and transient bounces', async () => {
    const bounce = (id: string, original: string, permanent: boolean) =>
      classified(world, {
        messageId: id, from: 'MAILER-DAEMON@mx.three.test', kind: MailKind.BOUNCE,
        bounce: { recipients: ['Gone@Three.test'], permanent, status: permanent ? '5.1.1' : '4.2.2', originalMessageId: original },
      });
    // A forged DSN names an address but no message we sent: nobody is suppressed.
    await handle(await bounce('forged@mx.test', 'never-sent@acme.test', true));
    const [first] = await requested({ messageId: 'hb-1@three.test', from: 'gone@three.test' });
    expect(first).toBeDefined();
    const ours = (await getMessage(env.ds, world.tenantId, first.messageId))!.messageIdHeader;
    await handle(await bounce('transient@mx.test', ours, false));
    expect(await isHardBounced(env.ds, world.tenantId, 'gone@three.test')).toBe(false);
    await handle(await bounce('permanent@mx.test', ours, true));
    expect(await isHardBounced(env.ds, world.tenantId, 'gone@three.test')).toBe(true);
    expect(await requested({ messageId: 'hb-2@three.test', from: 'gone@three.test' })).toEqual([]);
    expect(await requested({ messageId: 'hb-3@three.test', from: 'alive@three.test' })).toHaveLength(1);
  });

  it('holds the per-recipient cap under a storm of new mails from one address', async () => {
    const mails = await Promise.all(Array.from({ length: 12 }, (_, i) => classified(world, { messageId: `storm-${i}@four.test`, from: 'loop@four.test' })));
    const emits = (await Promise.all(mails.map((m) => handle(m)))).flat();
    expect(emits.filter((e) => e.msgId.startsWith('ticket-created:'))).toHaveLength(12);
    expect(emits.filter((e) => e.msgId.startsWith('outbound-requested:'))).toHaveLength(3);
  });
});
