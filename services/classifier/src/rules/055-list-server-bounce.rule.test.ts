import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { mail, text } from '../../test/mail';
import { listServerBounce } from './055-list-server-bounce.rule';

// fml, a list manager common in Japan, refuses posts from non-members and duplicated Message-IDs.
const fml = (subject: string, server = 'fml [fml 4.0.3 release (20011202/4.0.3)]') => {
  const msg = mail({
    headers: `From: sales-admin@lists.example.jp\nTo: agent@example.com\nSubject: ${subject}\nX-MLServer: ${server}`,
  });
  msg.references = ['agent-post-77@example.com'];
  return msg;
};
const NOT_MEMBER = 'You are not a member of this mailing list <sales@lists.example.jp>.\n\nSend "guide" to sales-ctl@lists.example.jp.';

describe('055 list-server-bounce', () => {
  it('reads an fml non-member refusal: the list as recipient, the refused post from References', () => {
    const v = listServerBounce(fml('You agent@example.com are not member (sales ML)'), text(NOT_MEMBER));
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce).toMatchObject({ recipients: ['sales@lists.example.jp'], permanent: false, originalMessageId: 'agent-post-77@example.com' });
  });

  it('reads an fml loop alert, with the original from the quoted copy', () => {
    const body = 'Duplicated Message-ID in <sales@lists.example.jp>.\n\nOriginal mail as follows:\n\n   From: agent@example.com\n   Message-ID: <quoted-1@example.com>\n';
    const v = listServerBounce(fml('Loop Alert: Duplicated Message-ID (sales ML)'), text(body));
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce).toMatchObject({ recipients: ['sales@lists.example.jp'], originalMessageId: 'quoted-1@example.com' });
  });

  it.each([
    ['an ordinary post distributed by fml', fml('Re: meeting on Friday'), 'See you there.'],
    ['the same refusal wording without the list server header', mail({ headers: 'Subject: You agent@example.com are not member (sales ML)' }), NOT_MEMBER],
    ['a refusal subject from another X-MLServer', fml('You x are not member (sales ML)', 'OtherList 1.0'), NOT_MEMBER],
  ])('has no evidence in %s', (_name, msg, body) => {
    expect(listServerBounce(msg, text(body))).toBeUndefined();
  });
});
