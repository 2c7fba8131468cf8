import { describe, expect, it } from 'vitest';
import type { MessageRow } from '@postroom/db';
import { TerminalError } from '@postroom/errors';
import { buildMail } from './build-mail';

const row = (over: Partial<MessageRow> = {}): MessageRow =>
  ({
    id: 'm1', messageIdHeader: 'out-1@acme.test', inReplyTo: ['in-2@c.test'], references: ['in-1@c.test', 'in-2@c.test'],
    to: [{ name: 'Alice', address: 'alice@c.test' }], cc: [], subject: 'Re: Hi [#3]', textBody: 'Hello', htmlBody: null,
    automatic: false, ...over,
  }) as MessageRow;
const mailbox = { address: 'support@acme.test', displayName: 'Acme Support' };
const build = (over: Partial<MessageRow> = {}) => buildMail({ message: row(over), mailbox, attachments: [] });

describe('buildMail', () => {
  it('threads the reply and sends from the mailbox', () => {
    expect(build()).toMatchObject({
      from: { name: 'Acme Support', address: 'support@acme.test' },
      messageId: '<out-1@acme.test>', inReplyTo: '<in-2@c.test>', references: ['<in-1@c.test>', '<in-2@c.test>'], headers: {},
    });
    expect(build({ automatic: true }).headers).toEqual({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
  });

  it.each<[string, Partial<MessageRow>]>([
    ['subject', { subject: 'Hi\r\nBcc: all@evil.test' }],
    ['subject (bare LF)', { subject: 'Hi\nX-Evil: 1' }],
    ['recipient name', { to: [{ name: 'A\r\nBcc: x@evil.test', address: 'a@c.test' }] }],
    ['recipient address', { to: [{ name: '', address: 'a@c.test\r\nBcc: x@evil.test' }] }],
    ['Cc address list smuggling', { cc: [{ name: '', address: 'a@c.test, x@evil.test' }] }],
    ['Message-ID', { references: ['ok@x', 'bad@x>\r\nBcc: x@evil.test'] }],
  ])('refuses CR/LF or address syntax in the %s', (_, over) => {
    expect(() => build(over)).toThrow(TerminalError);
  });

  it('refuses a message without recipients, but sends to Cc alone', () => {
    expect(() => build({ to: [] })).toThrow(/no To or Cc address/);
    expect(build({ to: [], cc: [{ name: '', address: 'bob@c.test' }] })).toMatchObject({ to: [], cc: [{ address: 'bob@c.test' }] });
  });
});
