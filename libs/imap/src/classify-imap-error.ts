/**
 * The one place imapflow's errors become Postroom's (style guide §7): ingress
 * and fetcher both throw what this returns, so a new imapflow error code is
 * handled once. imapflow marks failures with properties rather than classes
 * (`authenticationFailed`, `mailboxMissing`, `code`), and socket/DNS/TLS errors
 * pass through with Node's own codes.
 */
import { RetryableError, TerminalError } from '@postroom/errors';

/** The codes this classifier produces. */
export const IMAP_ERROR_CODES = {
  /** LOGIN/AUTHENTICATE refused (RFC 5530 AUTHENTICATIONFAILED): an account problem, not a transient one. */
  authFailed: 'MAILBOX_AUTH_FAILED',
  /** The certificate or the TLS handshake failed: also an account (configuration) problem. */
  tlsFailed: 'IMAP_TLS_FAILED',
  /** SELECT said the folder does not exist (RFC 5530 NONEXISTENT). */
  folderGone: 'FOLDER_GONE',
  /** The server could not be reached, dropped the connection or timed out. */
  unavailable: 'IMAP_UNAVAILABLE',
  /** The server asked us to slow down (imapflow ETHROTTLE, e.g. Microsoft 365). */
  throttled: 'IMAP_THROTTLED',
  /** Anything else: retried, never dropped. */
  unknown: 'IMAP_ERROR',
} as const;

const CONNECTION_CODES = new Set([
  'NoConnection', 'EConnectionClosed', 'StateLogout', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS',
  'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'LockTimeout', 'PollFailed',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'ECONNABORTED', 'ProxyError', 'EPROXY',
]);

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'STARTTLS_INJECTION', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);

interface ImapFailure {
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  mailboxMissing?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  message?: string;
}

function detail(err: ImapFailure): string {
  const text = err.responseText ?? err.message ?? String(err);
  return err.code ? `${err.code}: ${text}` : text;
}

/**
 * Translates anything an imapflow call threw. Already-classified errors pass
 * through unchanged, so callers can classify at every layer without care.
 */
export function classifyImapError(err: unknown): RetryableError | TerminalError {
  if (err instanceof RetryableError || err instanceof TerminalError) return err;
  const e: ImapFailure = typeof err === 'object' && err !== null ? (err as ImapFailure) : { message: String(err) };
  const code = e.code ?? '';
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new RetryableError(IMAP_ERROR_CODES.authFailed, `IMAP authentication failed: ${detail(e)}`, { cause: err });
  }
  if (e.tlsFailed || TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return new RetryableError(IMAP_ERROR_CODES.tlsFailed, `IMAP TLS failed: ${detail(e)}`, { cause: err });
  }
  if (e.mailboxMissing || e.serverResponseCode === 'NONEXISTENT') {
    return new TerminalError(IMAP_ERROR_CODES.folderGone, `IMAP folder does not exist: ${detail(e)}`, { cause: err });
  }
  if (code === 'ETHROTTLE') {
    return new RetryableError(IMAP_ERROR_CODES.throttled, `IMAP server throttled us: ${detail(e)}`, { cause: err });
  }
  if (CONNECTION_CODES.has(code)) {
    return new RetryableError(IMAP_ERROR_CODES.unavailable, `IMAP server unavailable: ${detail(e)}`, { cause: err });
  }
  return new RetryableError(IMAP_ERROR_CODES.unknown, `IMAP error: ${detail(e)}`, { cause: err });
}

/** True for failures that say the account (credentials, TLS setup) is wrong, not the network. */
export function isAccountFailure(err: unknown): boolean {
  const { code } = classifyImapError(err);
  return code === IMAP_ERROR_CODES.authFailed || code === IMAP_ERROR_CODES.tlsFailed;
}
