import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { fixture, mail, text } from '../../test/mail';
import { vendorBounce } from './050-vendor-bounce.rule';

describe('050 vendor-bounce', () => {
  it.each([
    ['corpus/bounce/qmail-failure-notice.eml', ['nobody.here@example.net'], '5.1.1', true, '20250118080000.77aa88@example.com'],
    ['corpus/bounce/yahoo-failure-notice.eml', ['closed.account@yahoo.example'], '', true, '20250118093015.c0ffee@example.com'],
    ['corpus/bounce/exim-plain-text.eml', ['former.employee@example.org'], '5.1.1', true, '20250116093000.3f4e5d@example.com'],
    ['corpus/bounce/exim-multiple-failed.eml', ['a.one@example.net', 'b.two@example.net'], '5.2.1', true, '20250117120000.51ab2c@example.com'],
    ['corpus/bounce/exchange2003-text.eml', ['m.keller@example.org'], '5.1.1', true, '20250120140000.ex2003@example.com'],
    ['corpus/bounce/gmail-legacy-text.eml', ['left.company@example.net'], '5.1.1', true, '20250121123000.legacy@example.com'],
    ['corpus/bounce/domino-delivery-failure.eml', ['h.wagner@example.org'], '', true, '20250122100000.dom001@example.com'],
    ['corpus/bounce/opensmtpd-error.eml', ['missing@example.org'], '5.1.1', true, '20250122120000.osm001@example.com'],
    ['corpus/bounce/dragonfly-text.eml', ['strict@example.net'], '5.7.26', true, '20250122130000.dfl001@example.com'],
    ['corpus/bounce/french-non-remis-text.eml', ['c.martin@example.fr'], '5.1.1', true, '20250122140000.fr0001@example.com'],
  ])('reads %s', async (name, recipients, status, permanent, original) => {
    const { msg, body } = await fixture(name);
    const v = vendorBounce(msg, body);
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce).toMatchObject({ recipients, status, permanent, originalMessageId: original });
  });

  it.each(['corpus/delay/exim-warning.eml', 'corpus/delay/exchange-delayed-text.eml', 'corpus/delay/opensmtpd-warning.eml'])(
    'calls %s a delay, never permanent',
    async (name) => {
      const { msg, body } = await fixture(name);
      const v = vendorBounce(msg, body);
      expect(v?.kind).toBe(MailKind.DELIVERY_DELAY);
      expect(v?.bounce?.permanent).toBe(false);
      expect(v?.bounce?.recipients).toHaveLength(1);
    },
  );

  it.each([
    ['a customer forwarding an NDR', 'corpus/normal/forwarded-ndr.eml'],
    ['an office admin writing from postmaster@', 'corpus/normal/postmaster-human.eml'],
    ['a customer quoting a mailer-daemon error', 'corpus/normal/mentions-mailer-daemon.eml'],
    ['a customer whose parcel delivery failed', 'corpus/normal/package-delivery-failed.eml'],
  ])('has no evidence in %s', async (_name, file) => {
    const { msg, body } = await fixture(file);
    expect(vendorBounce(msg, body)).toBeUndefined();
  });

  it('needs bounce wording, not only a daemon sender', () => {
    const msg = mail({ headers: 'From: MAILER-DAEMON@mx.example.net\nSubject: Queue report' });
    expect(vendorBounce(msg, text('3 messages in queue'))).toBeUndefined();
  });

  it('trusts X-Failed-Recipients even without wording', () => {
    const v = vendorBounce(mail({ headers: 'From: robot@example.net\nX-Failed-Recipients: x@example.org' }), text(''));
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce?.recipients).toEqual(['x@example.org']);
  });

  // Apache James (Verizon's vtext gateway ran it): a post_master sender, no Return-Path, and a
  // "Message details" block in which RCPT TO names the recipient and MAIL FROM / From name others.
  it('reads an Apache James bounce: the RCPT TO recipient, not the sender or the From', () => {
    const msg = mail({ headers: 'From: post_master@gateway.example.net\nTo: agent@example.com\nSubject: Re:Quote 7781' });
    const body = [
      'Error: Invalid user address',
      '',
      'Error message below:',
      '550 - Requested action not taken: no such user here',
      '',
      'Message details:',
      '  Subject: Quote 7781',
      '  MAIL FROM: agent@example.com',
      '  RCPT TO: 5551234@gateway.example.net',
      '  From: desk@example.com',
    ].join('\n');
    const v = vendorBounce(msg, text(body));
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce).toMatchObject({ recipients: ['5551234@gateway.example.net'], permanent: true });
  });

  // au one net (KDDI) bounces from a no-reply address, in Japanese, with the original attached.
  const kddi = (from: string, withOriginal = true) =>
    mail({
      headers: `From: ${from}\nTo: agent@example.com\nSubject: メールエラー通知`,
      reportParts: withOriginal
        ? [{ contentType: 'message/rfc822', text: 'From: agent@example.com\nTo: taro@example.jp\nMessage-Id: <kddi-orig-1@example.com>' }]
        : [],
    });
  const kddiText = 'Your mail sent on: Thu, 29 Apr 2025 23:45:22 +0900\n     Could not be delivered to: <taro@example.jp>\n     As their mailbox is full.';

  it('reads a bounce from a no-reply sender when the original is returned and subject and notice both say it failed', () => {
    const v = vendorBounce(kddi('no-reply@mail.example.jp'), text(kddiText));
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce).toMatchObject({ recipients: ['taro@example.jp'], permanent: false, originalMessageId: 'kddi-orig-1@example.com' });
  });

  it.each([
    ['a person sending the same words with a mail attached', kddi('taro.yamada@example.jp')],
    ['a no-reply sender without the returned message', kddi('no-reply@mail.example.jp', false)],
  ])('has no evidence in %s', (_name, msg) => {
    expect(vendorBounce(msg, text(kddiText))).toBeUndefined();
  });

  // Postfix's notice to the postmaster (notify_classes): a session transcript in which
  // 220/250 replies precede the failure; the failure is what counts.
  it('reads a Postfix "errors from" notice: RCPT TO recipient, the failing 4.3.0, not permanent', () => {
    const msg = mail({
      headers: 'Return-Path: <double-bounce@mx.example.com>\nFrom: MAILER-DAEMON@mx.example.com (Mail Delivery System)\nTo: postmaster@mx.example.com\nSubject: Postfix SMTP server: errors from relay.example.net[192.0.2.7]',
    });
    const body = [
      'Transcript of session follows.',
      '',
      ' Out: 220 mx.example.com ESMTP',
      ' In:  MAIL FROM:<shop@example.net>',
      ' Out: 250 2.1.0 Ok',
      ' In:  RCPT TO:<agent@example.com> ORCPT=rfc822;agent@example.com',
      ' Out: 250 2.1.5 Ok',
      ' In:  DATA',
      ' Out: 451 4.3.0 Error: queue file write error',
    ].join('\n');
    const v = vendorBounce(msg, text(body));
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce).toMatchObject({ recipients: ['agent@example.com'], status: '4.3.0', permanent: false });
  });
});
