import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { fixture, mail, text } from '../../test/mail';
import { feedbackReport } from './030-feedback-report.rule';

describe('030 feedback-report', () => {
  it('reads an RFC 5965 abuse report and the reported message id', () => {
    const msg = mail({
      headers: 'Content-Type: multipart/report; report-type=feedback-report',
      reportParts: [
        {
          contentType: 'message/feedback-report',
          text: 'Feedback-Type: abuse\nUser-Agent: ExampleFBL/1.0\nVersion: 1\nOriginal-Mail-From: <support@example.com>\nOriginal-Rcpt-To: <anna@example.net>\nReported-Domain: example.com',
        },
        { contentType: 'message/rfc822', text: 'From: support@example.com\nMessage-ID: <out-9@example.com>' },
      ],
    });
    const v = feedbackReport(msg, text());
    expect(v?.kind).toBe(MailKind.FEEDBACK_REPORT);
    expect(v?.bounce).toMatchObject({ recipients: ['anna@example.net'], originalMessageId: 'out-9@example.com', reportingMta: 'example.com' });
    expect(v?.reasons[0].detail).toContain('Feedback-Type: abuse');
  });

  it('has no evidence in other reports', () => {
    const dsn = mail({ headers: 'Content-Type: multipart/report; report-type=delivery-status', reportParts: [{ contentType: 'message/delivery-status', text: '' }] });
    expect(feedbackReport(dsn, text())).toBeUndefined();
  });
});

describe('030 feedback-report, Microsoft JMRP', () => {
  it('reads a JMRP complaint and the reported message id', async () => {
    const { msg, body } = await fixture('corpus/feedback/hotmail-jmrp.eml');
    const v = feedbackReport(msg, body);
    expect(v?.kind).toBe(MailKind.FEEDBACK_REPORT);
    expect(v?.bounce?.originalMessageId).toBe('20250125090000.fb2@example.com');
  });

  it('needs the attached message, not only the subject', () => {
    expect(feedbackReport(mail({ headers: 'Subject: complaint about message from 192.0.2.1' }), text())).toBeUndefined();
  });
});
