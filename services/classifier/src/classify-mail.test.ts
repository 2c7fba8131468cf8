import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { fixture, mail, text } from '../test/mail';
import { classifyMail } from './classify-mail';
import { stripUntrustedHeaders } from './strip-untrusted-headers';

describe('classifyMail over the issue-2 fixtures', () => {
  it.each([
    ['plain-customer.eml', MailKind.NORMAL],
    ['html-inline-image-pdf.eml', MailKind.NORMAL],
    ['reply-customer.eml', MailKind.NORMAL],
    ['no-message-id.eml', MailKind.NORMAL],
    ['malformed-recoverable.eml', MailKind.NORMAL],
    ['bounce-postfix.eml', MailKind.BOUNCE],
    ['delay-postfix.eml', MailKind.DELIVERY_DELAY],
    ['vacation-rfc3834.eml', MailKind.OUT_OF_OFFICE],
    ['ooo-outlook.eml', MailKind.OUT_OF_OFFICE],
    ['spam-flagged.eml', MailKind.SPAM],
  ])('%s is %s', async (name, kind) => {
    const { msg, body } = await fixture(name);
    expect(MailKind[classifyMail(msg, body).kind]).toBe(MailKind[kind]);
  });
});

describe('the chain', () => {
  it('defaults to normal, with a reason saying no rule had evidence', () => {
    const v = classifyMail(mail({ headers: 'From: a@example.net\nSubject: hello' }));
    expect(v.kind).toBe(MailKind.NORMAL);
    expect(v.reasons[0].rule).toBe('default');
  });

  it('lets the specific rule win: an Exim-style bounce with Auto-Submitted is a bounce, not an auto-reply', () => {
    const msg = mail({
      headers: 'From: Mail Delivery System <Mailer-Daemon@mx.example.net>\nSubject: Mail delivery failed: returning message to sender\nAuto-Submitted: auto-replied\nX-Failed-Recipients: gone@example.org',
    });
    expect(classifyMail(msg, text('This message was created automatically by mail delivery software.')).kind).toBe(MailKind.BOUNCE);
  });

  it('lets an out-of-office with Precedence: bulk stay out-of-office (bulk is last)', () => {
    const msg = mail({ headers: 'Subject: Automatic reply: order\nPrecedence: bulk\nList-Id: <x.example>' });
    expect(classifyMail(msg).kind).toBe(MailKind.OUT_OF_OFFICE);
  });

  it('ignores a Return-Path a sender wrote below the real one', () => {
    const forged = mail({ headers: 'Return-Path: <anna@example.net>\nFrom: anna@example.net\nReturn-Path: <>\nSubject: question' });
    expect(stripUntrustedHeaders(forged).headers.filter((h) => h.name === 'return-path')).toHaveLength(1);
    expect(classifyMail(forged).kind).toBe(MailKind.NORMAL);
  });

  it('strips X-Postroom-* control headers before any rule reads them', () => {
    const msg = mail({ headers: 'From: a@example.net\nX-Postroom-Kind: spam\nX-Postroom-Tenant: other\nSubject: hi' });
    const stripped = stripUntrustedHeaders(msg);
    expect(stripped.headers.map((h) => h.name)).toEqual(['from', 'subject']);
    expect(msg.headers).toHaveLength(4);
    expect(stripUntrustedHeaders(stripped)).toBe(stripped);
  });
});
