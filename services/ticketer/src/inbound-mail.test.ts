import { describe, expect, it } from 'vitest';
import { MailClassifiedSchema, MailKind, create } from '@postroom/contracts';
import { TerminalError } from '@postroom/errors';
import { DEFAULT_KIND_ACTIONS } from '@postroom/db';
import { filingOf, kindFromName, kindName, toInboundMail } from './inbound-mail';

const event = (over: Record<string, unknown> = {}) =>
  create(MailClassifiedSchema, {
    parsed: {
      mail: { tenantId: 't', mailboxId: 'm', mailId: 'id1', source: { providerThreadId: 'T9' } },
      messageId: ' <A@x> ', inReplyTo: ['<p@x>'], references: ['<r@x>', 'A@x'],
      from: { name: 'Ann\r\nBcc: x', address: 'Ann@X.test' },
      headers: [{ name: 'Precedence', value: 'bulk' }], hasReturnPath: true, returnPath: '',
      ...over,
    },
    verdict: { kind: MailKind.OUT_OF_OFFICE },
  });

describe('toInboundMail', () => {
  it('normalises ids, addresses and headers', () => {
    const m = toInboundMail(event(), { text: 't', html: 'h' });
    expect(m).toMatchObject({ messageId: 'A@x', inReplyTo: ['p@x'], references: ['r@x'], nullSender: true, kind: MailKind.OUT_OF_OFFICE });
    expect(m.from).toEqual({ name: 'Ann Bcc: x', address: 'ann@x.test' });
    expect(m.headers.get('precedence')).toEqual(['bulk']);
    expect(m.providerThreadKey).toBe('thread:m:T9');
    expect(m.verdictJson).toEqual({ kind: 'MAIL_KIND_OUT_OF_OFFICE' });
  });

  it('refuses an event without its mail reference', () => {
    expect(() => toInboundMail(create(MailClassifiedSchema, {}), { text: '', html: '' })).toThrow(TerminalError);
  });
});

describe('kinds', () => {
  it('map between enum and column and decide the filing', () => {
    expect(kindName(MailKind.OUT_OF_OFFICE)).toBe('out_of_office');
    expect(kindName(MailKind.UNSPECIFIED)).toBe('normal');
    expect(kindFromName('auto_reply')).toBe(MailKind.AUTO_REPLY);
    const kinds = [MailKind.NORMAL, MailKind.AUTO_REPLY, MailKind.BOUNCE, MailKind.SPAM, MailKind.BULK, MailKind.LOOP];
    expect(kinds.map((k) => filingOf(k))).toEqual(['ticket', 'follow', 'bounce', 'none', 'none', 'none']);
    const actions = { ...DEFAULT_KIND_ACTIONS, auto_reply: 'store', spam: 'ticket', bulk: 'attach', bounce: 'store' } as const;
    expect(kinds.map((k) => filingOf(k, actions))).toEqual(['ticket', 'none', 'bounce', 'ticket', 'follow', 'none']);
  });
});
