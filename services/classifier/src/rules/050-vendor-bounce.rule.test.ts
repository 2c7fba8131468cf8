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
});
