import { describe, expect, it } from 'vitest';
import { findStatusCode, isPermanentStatus, parseDeliveryStatus, stripAddressType, stripDiagnosticType } from './delivery-status';
import { parseDispositionNotification, parseFeedbackReport } from './report-fields';

describe('RFC 3464 delivery status', () => {
  it('parses per-message and per-recipient fields', () => {
    const ds = parseDeliveryStatus(
      'Reporting-MTA: dns; mx.example.com\nArrival-Date: x\n\nFinal-Recipient: rfc822; A@Example.NET\nAction: Failed\nStatus: 5.1.1 (user unknown)\nRemote-MTA: dns; mx.example.net\nDiagnostic-Code: smtp; 550 5.1.1\n  no such user\n\nFinal-Recipient: rfc822;b@example.net\nAction: delayed\nStatus: 4.4.1\n',
    );
    expect(ds.reportingMta).toBe('mx.example.com');
    expect(ds.recipients).toEqual([
      { recipient: 'a@example.net', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 no such user', remoteMta: 'mx.example.net' },
      { recipient: 'b@example.net', action: 'delayed', status: '4.4.1', diagnostic: '', remoteMta: '' },
    ]);
  });

  it('tolerates a missing blank line after the per-message fields', () => {
    const ds = parseDeliveryStatus('Reporting-MTA: dns; mx\nFinal-Recipient: rfc822; a@x.example\nAction: failed\nStatus: 5.0.0');
    expect(ds.recipients.map((r) => r.recipient)).toEqual(['a@x.example']);
  });

  it('finds status codes and their class', () => {
    expect(findStatusCode('said: 550 5.7.1 <a@x>: rejected')).toBe('5.7.1');
    expect(findStatusCode('version 1.2.3 and 3.1.1')).toBe('');
    expect(isPermanentStatus('5.1.1')).toBe(true);
    expect(isPermanentStatus('4.4.7')).toBe(false);
    expect(stripAddressType('rfc822; <A@X.example>')).toBe('a@x.example');
    expect(stripDiagnosticType('X-Postfix; host said:\n   550 no')).toBe('host said: 550 no');
  });
});

describe('RFC 8098 and RFC 5965 report fields', () => {
  it('parses a disposition notification', () => {
    expect(
      parseDispositionNotification('Reporting-UA: a.example; Mail 1.0\nFinal-Recipient: rfc822; A@x.example\nOriginal-Message-ID: <m1@x>\nDisposition: manual-action/MDN-sent-manually; deleted'),
    ).toEqual({ disposition: 'deleted', finalRecipient: 'a@x.example', originalMessageId: 'm1@x', reportingUa: 'a.example' });
  });

  it('parses a feedback report', () => {
    expect(parseFeedbackReport('Feedback-Type: Abuse\nUser-Agent: FBL/2\nOriginal-Mail-From: <s@x>\nOriginal-Rcpt-To: <r1@y>\nOriginal-Rcpt-To: r2@y\nSource-IP: 192.0.2.1')).toMatchObject({
      feedbackType: 'abuse',
      originalMailFrom: 's@x',
      originalRcptTo: ['r1@y', 'r2@y'],
      sourceIp: '192.0.2.1',
    });
  });
});
