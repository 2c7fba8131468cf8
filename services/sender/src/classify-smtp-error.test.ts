import { describe, expect, it } from 'vitest';
import { RetryableError, TerminalError } from '@postroom/errors';
import { classifySmtpError } from './classify-smtp-error';

const smtp = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.response ?? 'x')), fields);

describe('classifySmtpError', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 no such user' }, TerminalError, 'SMTP_REJECTED'],
    [{ code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 spam' }, TerminalError, 'SMTP_REJECTED'],
    [{ code: 'EPROTOCOL', responseCode: 503, response: '503 bad sequence' }, RetryableError, 'SMTP_TEMPORARY'],
    [{ code: 'EMESSAGE', responseCode: 451, response: '451 4.7.1 greylisted' }, RetryableError, 'SMTP_TEMPORARY'],
    [{ code: 'EAUTH', responseCode: 454, response: '454 4.7.0 try later' }, RetryableError, 'SMTP_TEMPORARY'],
    [{ code: 'EAUTH', responseCode: 535, response: '535 bad credentials' }, TerminalError, 'SMTP_REJECTED'],
    [{ code: 'EAUTH' }, TerminalError, 'SMTP_AUTH_FAILED'],
    [{ code: 'ETLS' }, TerminalError, 'SMTP_TLS_FAILED'],
    [{ code: 'EENVELOPE' }, TerminalError, 'SMTP_ENVELOPE_REJECTED'],
    [{ code: 'ECONNECTION' }, RetryableError, 'SMTP_UNAVAILABLE'],
    [{ code: 'ETIMEDOUT' }, RetryableError, 'SMTP_UNAVAILABLE'],
    [{}, RetryableError, 'SMTP_UNAVAILABLE'],
  ])('%j → %s %s', (fields, kind, code) => {
    const classified = classifySmtpError(smtp(fields));
    expect(classified).toBeInstanceOf(kind);
    expect(classified.code).toBe(code);
  });

  it('keeps the reply text on one line in the reason', () => {
    const classified = classifySmtpError(smtp({ responseCode: 550, response: '550-first\r\n550 second' }));
    expect(classified.message).toBe('SMTP 550-first 550 second');
  });
});
