/**
 * Which login a mailbox's stored IMAP credentials allow: an OAuth 2.0 access
 * token (SASL XOAUTH2) when there is one, else the password.
 */
import { RetryableError } from '@postroom/errors';
import { IMAP_ERROR_CODES } from './classify-imap-error';
import type { ImapAuth } from './open-imap-client';

/** The IMAP part of a mailbox's sealed credentials. */
export interface ImapCredentialsRecord {
  user?: string;
  password?: string;
  accessToken?: string;
  refreshToken?: string;
}

/** The auth the credentials allow; an account failure (MAILBOX_AUTH_FAILED) when there is none. */
export function imapAuthOf(creds: ImapCredentialsRecord | undefined): ImapAuth {
  if (creds?.user && creds.accessToken) return { user: creds.user, accessToken: creds.accessToken };
  if (creds?.user && creds.password !== undefined) return { user: creds.user, password: creds.password };
  throw new RetryableError(IMAP_ERROR_CODES.authFailed, 'the mailbox has no IMAP credentials (user and password or access token)');
}
