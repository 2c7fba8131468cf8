import { describe, expect, it } from 'vitest';
import { MailClassifiedSchema, MailKind, MailParsedSchema, VerdictSchema, create, fromBinary, toBinary } from './index';
import { encodeWithEmbedded } from './embedded-bytes';

const parsed = create(MailParsedSchema, {
  mail: { tenantId: 't', mailboxId: 'm', mailId: 'id-1' },
  messageId: 'a@b', subject: 'Grüße', references: ['x@y', 'z@w'],
  headers: [{ name: 'X-Loop', value: 'support@acme.test' }],
  inlineBody: { text: 'Hello', html: '<p>Hello</p>' },
});
const verdict = create(VerdictSchema, { kind: MailKind.BOUNCE, confidence: 0.9, reasons: [{ rule: '010-rfc3464-bounce', detail: 'a report', source: 'content-type' }] });

describe('encodeWithEmbedded', () => {
  it('decodes as the same event encoded whole, with the embedded bytes forwarded unchanged', () => {
    const bytes = toBinary(MailParsedSchema, parsed);
    const forwarded = encodeWithEmbedded(MailClassifiedSchema, 'parsed', bytes, create(MailClassifiedSchema, { verdict }));
    expect(fromBinary(MailClassifiedSchema, forwarded)).toEqual(create(MailClassifiedSchema, { parsed, verdict }));
    expect(Buffer.from(forwarded).includes(Buffer.from(bytes))).toBe(true);
  });

  it('refuses a field that is not a message field, or one already set in the rest', () => {
    const bytes = toBinary(MailParsedSchema, parsed);
    expect(() => encodeWithEmbedded(MailClassifiedSchema, 'verdicts', bytes, create(MailClassifiedSchema))).toThrow(/no message field verdicts/);
    expect(() => encodeWithEmbedded(MailClassifiedSchema, 'parsed', bytes, create(MailClassifiedSchema, { parsed }))).toThrow(/leave it unset/);
  });
});
