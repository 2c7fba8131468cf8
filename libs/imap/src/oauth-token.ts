/**
 * Refreshes an OAuth 2.0 access token for SASL XOAUTH2 (RFC 6749 §6, the
 * refresh_token grant). Providers may rotate the refresh token on every use
 * (Microsoft does), so the caller must store the one that comes back.
 */
import { RetryableError } from '@postroom/errors';
import { IMAP_ERROR_CODES } from './classify-imap-error';

export interface OAuthClient {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  scope?: string;
}

export interface TokenSet {
  accessToken: string;
  /** Present when the provider rotated it. */
  refreshToken?: string;
  /** Unix ms; undefined when the provider did not say. */
  expiresAt?: number;
}

/** RFC 6749 §5.2: errors that mean the grant or the client is wrong, not the network. */
const ACCOUNT_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

export async function refreshAccessToken(
  client: OAuthClient,
  refreshToken: string,
  opts: { now?: number; fetch?: typeof fetch } = {},
): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId });
  if (client.clientSecret) form.set('client_secret', client.clientSecret);
  if (client.scope) form.set('scope', client.scope);
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(client.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new RetryableError('OAUTH_UNAVAILABLE', `token endpoint ${client.tokenUrl} unreachable`, { cause: err });
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== 'string') {
    const error = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    const code = ACCOUNT_ERRORS.has(error) ? IMAP_ERROR_CODES.authFailed : 'OAUTH_UNAVAILABLE';
    throw new RetryableError(code, `token endpoint ${client.tokenUrl} refused the refresh: ${error}`);
  }
  const now = opts.now ?? Date.now();
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresAt: typeof body.expires_in === 'number' ? now + body.expires_in * 1000 : undefined,
  };
}
