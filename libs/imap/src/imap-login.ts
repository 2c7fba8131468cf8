/**
 * The login for a mailbox's IMAP connections from its stored credentials:
 * the password, or for XOAUTH2 an access token that is refreshed from the
 * configured token endpoint when it is about to expire (or was refused), with
 * the new tokens (a rotated refresh token included) saved back at once.
 */
import { RetryableError } from '@postroom/errors';
import { IMAP_ERROR_CODES } from './classify-imap-error';
import { imapAuthOf, type ImapCredentialsRecord } from './imap-auth';
import type { ImapSettings } from './imap-settings';
import { refreshAccessToken } from './oauth-token';
import type { ImapAuth } from './open-imap-client';

/** XOAUTH2 credentials as stored (sealed) with the mailbox. */
export interface OAuthCredentialsRecord extends ImapCredentialsRecord {
  clientSecret?: string;
  /** Unix ms. */
  accessTokenExpiresAt?: number;
}

export interface ImapLoginOptions {
  settings: ImapSettings;
  read(): Promise<OAuthCredentialsRecord | undefined>;
  save(creds: OAuthCredentialsRecord): Promise<void>;
  /** Refresh this long before the token expires. */
  refreshMarginMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

/** `login(true)` forces a refresh (the server refused the token). */
export type ImapLogin = (forceRefresh?: boolean) => Promise<ImapAuth>;

export function createImapLogin(opts: ImapLoginOptions): ImapLogin {
  const now = opts.now ?? Date.now;
  const margin = opts.refreshMarginMs ?? 5 * 60_000;
  let inFlight: Promise<ImapAuth> | undefined;
  const refresh = async (creds: OAuthCredentialsRecord): Promise<ImapAuth> => {
    const oauth = opts.settings.oauth2;
    if (!oauth || !creds.refreshToken || !creds.user) {
      throw new RetryableError(IMAP_ERROR_CODES.authFailed, 'XOAUTH2 mailbox without a usable access token, refresh token or settings.imap.oauth2');
    }
    const tokens = await refreshAccessToken({ ...oauth, clientSecret: creds.clientSecret }, creds.refreshToken, { now: now(), fetch: opts.fetch });
    await opts.save({
      ...creds,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken ?? creds.refreshToken,
    });
    return { user: creds.user, accessToken: tokens.accessToken };
  };
  return async (forceRefresh = false) => {
    const creds = await opts.read();
    if (opts.settings.auth !== 'xoauth2') return imapAuthOf(creds);
    const fresh = creds?.accessToken && (creds.accessTokenExpiresAt === undefined || creds.accessTokenExpiresAt - margin > now());
    if (creds?.user && creds.accessToken && fresh && !forceRefresh) return { user: creds.user, accessToken: creds.accessToken };
    // One refresh at a time: with rotating refresh tokens a second concurrent
    // refresh would present the token the first one just used up.
    inFlight ??= refresh(creds ?? {}).finally(() => (inFlight = undefined));
    return inFlight;
  };
}
