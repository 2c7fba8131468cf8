import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { fixture, mail, text } from '../../test/mail';
import { dsnBounce } from './010-dsn-bounce.rule';

const DSN = (recipients: string) => `Reporting-MTA: dns; mx.example.com\n\n${recipients}`;
const report = (ds: string, headers = 'Message-ID: <orig-1@example.com>\nSubject: hi') =>
  mail({
    headers: 'Content-Type: multipart/report; report-type=delivery-status',
    reportParts: [
      { contentType: 'message/delivery-status', text: ds },
      { contentType: 'text/rfc822-headers', text: headers },
    ],
  });

describe('010 dsn-bounce', () => {
  it('reads a Postfix bounce: recipient, 5.1.1, permanent, diagnostic, original Message-ID', async () => {
    const { msg, body } = await fixture('bounce-postfix.eml');
    const v = dsnBounce(msg, body);
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce).toMatchObject({
      recipients: ['no.such.user@example.net'],
      status: '5.1.1',
      permanent: true,
      originalMessageId: '20250114101504.7f3a9c@example.com',
      reportingMta: 'mx.example.com',
    });
    expect(v?.bounce?.diagnostic).toBe(
      '550 5.1.1 <no.such.user@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
    );
  });

  it('treats an all-delayed report as a delay, not a bounce', async () => {
    const { msg, body } = await fixture('delay-postfix.eml');
    const v = dsnBounce(msg, body);
    expect(v?.kind).toBe(MailKind.DELIVERY_DELAY);
    expect(v?.bounce).toMatchObject({ recipients: ['kai@slow.example.org'], status: '4.4.1', permanent: false, originalMessageId: '20250114101457.0c4d2e@example.com' });
  });

  it.each([
    ['failed 5.2.2', 'Final-Recipient: rfc822; a@x.example\nAction: failed\nStatus: 5.2.2', MailKind.BOUNCE, true, ['a@x.example']],
    ['failed after queue expiry, 4.4.7 (soft bounce)', 'Final-Recipient: rfc822; a@x.example\nAction: failed\nStatus: 4.4.7', MailKind.BOUNCE, false, ['a@x.example']],
    ['one failed, one delayed', 'Final-Recipient: rfc822; a@x.example\nAction: failed\nStatus: 5.1.1\n\nFinal-Recipient: rfc822; b@x.example\nAction: delayed\nStatus: 4.2.0', MailKind.BOUNCE, true, ['a@x.example']],
    ['status only in the diagnostic', 'Final-Recipient: rfc822; a@x.example\nAction: failed\nDiagnostic-Code: smtp; 550 5.7.1 rejected', MailKind.BOUNCE, true, ['a@x.example']],
    ['no action, permanent status', 'Original-Recipient: rfc822; A@X.example\nStatus: 5.0.0', MailKind.BOUNCE, true, ['a@x.example']],
  ])('%s', (_name, recipients, kind, permanent, list) => {
    const v = dsnBounce(report(DSN(recipients)), text());
    expect(v?.kind).toBe(kind);
    expect(v?.bounce?.permanent).toBe(permanent);
    expect(v?.bounce?.recipients).toEqual(list);
    expect(v?.bounce?.originalMessageId).toBe('orig-1@example.com');
  });

  it('calls a success-only report automatic mail, not a bounce', () => {
    const v = dsnBounce(report(DSN('Final-Recipient: rfc822; a@x.example\nAction: delivered\nStatus: 2.0.0')), text());
    expect(v?.kind).toBe(MailKind.AUTO_REPLY);
  });

  it('has no evidence without a delivery-status part, or with one naming no recipient', () => {
    expect(dsnBounce(mail({ headers: 'Subject: Undelivered Mail Returned to Sender' }), text())).toBeUndefined();
    expect(dsnBounce(report('Reporting-MTA: dns; mx.example.com'), text())).toBeUndefined();
  });

  it('takes the non-standard Action: failure of content filters for a failure', () => {
    const v = dsnBounce(report(DSN('Final-Recipient: rfc822;daz@example.net\nAction: failure')), text());
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce?.recipients).toEqual(['daz@example.net']);
  });
});
