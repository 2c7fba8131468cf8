import { describe, expect, it } from 'vitest';
import { BlobNotFoundError } from '@postroom/blob';
import {
  BlobRefSchema,
  MailBodySchema,
  MailClassifiedSchema,
  MailKind,
  MailParsedSchema,
  create,
  fromBinary,
  subjects,
  toBinary,
  type MailClassified,
} from '@postroom/contracts';
import { mail } from '../test/mail';
import { createHandler } from './handler';

function blobs(entries: Record<string, Uint8Array>) {
  return {
    async get(key: string) {
      const v = entries[key];
      if (!v) throw new BlobNotFoundError(key);
      return v;
    },
  };
}

const bodyOf = (text: string) => toBinary(MailBodySchema, create(MailBodySchema, { text }));

describe('classifier handler', () => {
  it('classifies with the stored body text and emits MailClassified with msgId classified:<mailId>', async () => {
    const msg = create(MailParsedSchema, {
      ...mail({ headers: 'From: MAILER-DAEMON@mx.example.net\nSubject: failure notice' }),
      body: create(BlobRefSchema, { key: 't/body/m' }),
    });
    const qmail = "Hi. This is the qmail-send program at mx.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<gone@example.org>:\n550 5.1.1 no such user\n";
    const handle = createHandler({ blobs: blobs({ 't/body/m': bodyOf(qmail) }), subjects: subjects('tcls') });
    const [emit] = await handle(msg);
    expect(emit.subject).toBe('tcls.mail.v1.classified');
    expect(emit.schema).toBe(MailClassifiedSchema);
    expect(emit.msgId).toBe('classified:m');
    const event = emit.event as MailClassified;
    expect(event.parsed).toEqual(msg);
    expect(event.verdict?.kind).toBe(MailKind.BOUNCE);
    expect(event.verdict?.bounce?.recipients).toEqual(['gone@example.org']);
  });

  it('forwards the delivered bytes of the parsed event inside the classified one, decoding as the event', async () => {
    const msg = create(MailParsedSchema, {
      ...mail({ headers: 'From: alice@customer.test\nSubject: Printer on fire' }),
      inlineBody: create(MailBodySchema, { text: 'It burns.' }),
    });
    const input = toBinary(MailParsedSchema, msg);
    const ctx = { deliveryCount: 1, lastDelivery: false, working: () => undefined, logger: undefined as never, input };
    const [emit] = await createHandler({ blobs: blobs({}), subjects: subjects('') })(msg, ctx);
    expect(emit.encoded).toBeInstanceOf(Uint8Array);
    expect(fromBinary(MailClassifiedSchema, emit.encoded!)).toEqual(emit.event);
    expect(Buffer.from(emit.encoded!).includes(Buffer.from(input))).toBe(true);
  });

  it('classifies with the inline body text without reading the blob store', async () => {
    const text = "This is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<gone@example.org>: host mx.example.org said: 550 5.1.1 unknown user\n";
    const msg = create(MailParsedSchema, {
      ...mail({ headers: 'From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender' }),
      inlineBody: create(MailBodySchema, { text }),
    });
    const handle = createHandler({ blobs: blobs({}), subjects: subjects('') });
    const event = (await handle(msg))[0].event as MailClassified;
    expect(event.parsed?.inlineBody?.text).toBe(text);
    expect(event.verdict?.kind).toBe(MailKind.BOUNCE);
    expect(event.verdict?.bounce?.recipients).toEqual(['gone@example.org']);
  });

  it('classifies without a body when the event has none', async () => {
    const handle = createHandler({ blobs: blobs({}), subjects: subjects('') });
    const [emit] = await handle(mail({ headers: 'X-Spam-Flag: YES' }));
    expect((emit.event as MailClassified).verdict?.kind).toBe(MailKind.SPAM);
    expect(emit.subject).toBe('mail.v1.classified');
  });

  it('fails terminally on an event without a mail id, and retryably when the body is missing', async () => {
    const handle = createHandler({ blobs: blobs({}), subjects: subjects('') });
    await expect(handle(create(MailParsedSchema, {}))).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    const withBody = create(MailParsedSchema, { ...mail({}), body: create(BlobRefSchema, { key: 't/body/gone' }) });
    await expect(handle(withBody)).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});
