import { RetryableError, TerminalError } from '@postroom/errors';
import { describe, expect, it } from 'vitest';
import { classifyImapError, isAccountFailure } from './classify-imap-error';

const imapError = (props: Record<string, unknown>) => Object.assign(new Error('Command failed'), props);

describe('classifyImapError', () => {
  it('marks refused logins as an account failure (RFC 5530 AUTHENTICATIONFAILED)', () => {
    const e = classifyImapError(imapError({ authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' }));
    expect(e).toBeInstanceOf(RetryableError);
    expect(e.code).toBe('MAILBOX_AUTH_FAILED');
    expect(isAccountFailure(e)).toBe(true);
  });

  it('makes a missing folder terminal', () => {
    const e = classifyImapError(imapError({ mailboxMissing: true }));
    expect(e).toBeInstanceOf(TerminalError);
    expect(e.code).toBe('FOLDER_GONE');
  });

  it.each(['NoConnection', 'EConnectionClosed', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET'])(
    'retries %s as IMAP_UNAVAILABLE',
    (code) => {
      const e = classifyImapError(imapError({ code }));
      expect(e).toBeInstanceOf(RetryableError);
      expect(e.code).toBe('IMAP_UNAVAILABLE');
      expect(isAccountFailure(e)).toBe(false);
    },
  );

  it('treats certificate failures as an account (configuration) failure', () => {
    const e = classifyImapError(imapError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }));
    expect(e.code).toBe('IMAP_TLS_FAILED');
    expect(isAccountFailure(e)).toBe(true);
  });

  it('retries throttling and unknown errors, never drops them', () => {
    expect(classifyImapError(imapError({ code: 'ETHROTTLE' })).code).toBe('IMAP_THROTTLED');
    const unknown = classifyImapError('weird');
    expect(unknown).toBeInstanceOf(RetryableError);
    expect(unknown.code).toBe('IMAP_ERROR');
  });

  it('passes classified errors through', () => {
    const e = new TerminalError('OVER_LIMIT', 'too big');
    expect(classifyImapError(e)).toBe(e);
  });
});
