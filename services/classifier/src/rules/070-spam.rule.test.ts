import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { fixture, mail } from '../../test/mail';
import { createSpamRule, spam } from './070-spam.rule';

describe('070 spam', () => {
  it('trusts the SpamAssassin headers of the flagged fixture', async () => {
    const { msg } = await fixture('spam-flagged.eml');
    const v = spam(msg);
    expect(v?.kind).toBe(MailKind.SPAM);
    expect(v?.reasons.map((r) => r.source)).toEqual(['x-spam-flag', 'x-spam-status']);
  });

  it.each([
    ['X-Spam-Flag: YES', 'x-spam-flag'],
    ['X-Spam-Status: Yes, score=7.1 required=5.0', 'x-spam-status'],
    ['X-Spam: Yes', 'x-spam'],
    ['X-Spam-Score: 6.2', 'x-spam-score'],
    ['X-MS-Exchange-Organization-SCL: 9', 'x-ms-exchange-organization-scl'],
    ['X-Forefront-Antispam-Report: CIP:192.0.2.1;CTRY:;LANG:en;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:x;PTR:;CAT:SPM;SFS:', 'x-forefront-antispam-report'],
    ['X-Barracuda-Spam-Flag: YES', 'x-barracuda-spam-flag'],
    ['X-MailScanner-SpamCheck: spam, SpamAssassin (score=12.3, required 5)', 'x-mailscanner-spamcheck'],
  ])('flags %s', (headers, source) => {
    const v = spam(mail({ headers }));
    expect(v?.kind).toBe(MailKind.SPAM);
    expect(v?.reasons[0].source).toBe(source);
  });

  it.each([
    ['X-Spam-Flag: NO'],
    ['X-Spam-Status: No, score=1.2 required=5.0'],
    ['X-Spam-Score: 4.9'],
    ['X-Spam-Score: -2.1'],
    ['X-MS-Exchange-Organization-SCL: 1'],
    ['X-Forefront-Antispam-Report: CIP:192.0.2.1;SCL:1;SFV:NSPM;CAT:NONE'],
    ['X-MailScanner-SpamCheck: not spam, SpamAssassin (score=0.1)'],
  ])('does not flag %s', (headers) => {
    expect(spam(mail({ headers }))).toBeUndefined();
  });

  it('uses the provider placement: Gmail SPAM label, \\Junk use, a Junk folder', () => {
    expect(spam(mail({ labels: ['INBOX', 'SPAM'] }))?.reasons[0].source).toBe('provider-label');
    expect(spam(mail({ labels: ['\\Junk'] }))?.kind).toBe(MailKind.SPAM);
    expect(spam(mail({ folder: 'INBOX.Junk' }))?.reasons[0].source).toBe('folder');
    expect(spam(mail({ folder: 'INBOX' }))).toBeUndefined();
  });

  it('honours a configured score threshold', () => {
    const strict = createSpamRule({ scoreThreshold: 3 });
    expect(strict(mail({ headers: 'X-Spam-Score: 3.5' }))?.kind).toBe(MailKind.SPAM);
    expect(spam(mail({ headers: 'X-Spam-Score: 3.5' }))).toBeUndefined();
  });
});
