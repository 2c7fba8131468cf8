import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailKind, type MailClassified, type TicketMessageAdded } from '@postroom/contracts';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { classified, createWorld, type World } from './world';

let env: TestEnv;
let handle: ReturnType<typeof createHandler>;
let plain: World;
let actions: World;

beforeAll(async () => {
  env = await createTestEnv();
  plain = await createWorld(env);
  actions = await createWorld(env, { imap: { host: '127.0.0.1' }, afterFiled: { markSeen: true } });
  handle = createHandler({ db: env.ds, blobs: plain.blobs, subjects: env.bus.subjects });
});
afterAll(async () => env?.cleanup());

const withAttachment = (mail: MailClassified): MailClassified => {
  mail.parsed!.attachments.push({ index: 0, filename: 'invoice.pdf', contentType: 'application/pdf', size: 3n, blob: { key: 'k', size: 3n, sha256: 'x' } } as never);
  return mail;
};

/** Each emit as `<msgId kind> <subject without the namespace>`. */
const described = (emits: Awaited<ReturnType<typeof handle>>) =>
  emits.map((e) => `${e.msgId.split(':')[0]} ${e.subject.slice(env.namespace.length + 1)}`);

describe('hand-offs to the attachment and mailbox-actions stages', () => {
  it('wakes neither stage for a plain email in a mailbox without afterFiled', async () => {
    const emits = await handle(await classified(plain, { messageId: 'plain-1@customer.test' }));
    expect(described(emits)).toEqual(['ticket-created ticket.v1.created', 'message-added ticket.v1.message_added']);
  });

  it('hands an email with attachments to the attachment stage, with the message_added payload', async () => {
    const emits = await handle(withAttachment(await classified(plain, { messageId: 'att-1@customer.test' })));
    expect(described(emits)).toEqual([
      'ticket-created ticket.v1.created', 'message-added ticket.v1.message_added', 'record-attachments work.v1.record_attachments',
    ]);
    const [added, work] = [emits[1].event as TicketMessageAdded, emits[2].event as TicketMessageAdded];
    expect(work).toBe(added);
    expect(emits[2].msgId).toBe(`record-attachments:${added.messageId}`);
    expect(work.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
  });

  it('hands every filed email of a mailbox with afterFiled to mailbox-actions, and republishes the same hand-offs for a duplicate', async () => {
    const mail = withAttachment(await classified(actions, { messageId: 'seen-1@customer.test' }));
    const first = await handle(mail);
    expect(described(first)).toEqual([
      'ticket-created ticket.v1.created', 'message-added ticket.v1.message_added',
      'record-attachments work.v1.record_attachments', 'apply-after-filed work.v1.apply_after_filed',
    ]);
    const again = await handle(mail);
    expect(again.map((e) => e.msgId)).toEqual(first.map((e) => e.msgId));
  });

  it('hands nothing on for mail stored without a ticket, even in a mailbox with afterFiled', async () => {
    const emits = await handle(await classified(actions, { messageId: 'spam-1@spammer.test', kind: MailKind.SPAM }));
    expect(emits).toEqual([]);
  });
});
