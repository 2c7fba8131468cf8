/**
 * The one place SMTP failures are translated into Retryable or Terminal
 * (style guide §7; EmailEngine's delivery-error.js). RFC 5321 §4.2.1: a 4yz
 * reply is a transient negative completion (greylisting, mailbox busy, rate
 * limits) and the same message may succeed later; a 5yz reply is permanent,
 * except 503 "bad sequence of commands", which says the session was in the
 * wrong state rather than that the message was refused. Without a reply,
 * EAUTH (wrong credentials), ETLS (certificate or STARTTLS failure) and
 * EENVELOPE (no valid sender or recipients) will fail the same way again;
 * connection-level failures (refused, reset, DNS, timeouts) may pass.
 */
import { RetryableError, TerminalError } from '@postroom/errors';

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

const TERMINAL_WITHOUT_REPLY: Record<string, string> = {
  EAUTH: 'SMTP_AUTH_FAILED',
  ENOAUTH: 'SMTP_AUTH_FAILED',
  ETLS: 'SMTP_TLS_FAILED',
  EREQUIRETLS: 'SMTP_TLS_FAILED',
  EENVELOPE: 'SMTP_ENVELOPE_REJECTED',
  ECONFIG: 'SMTP_CONFIG_INVALID',
};

const describe = (e: SmtpFailure): string =>
  (e.response || e.message || 'SMTP failure').replace(/[\r\n]+/g, ' ').slice(0, 500);

/** Classifies an error thrown by nodemailer's SMTP transport. */
export function classifySmtpError(err: unknown): RetryableError | TerminalError {
  if (err instanceof RetryableError || err instanceof TerminalError) return err;
  const e = (err ?? {}) as SmtpFailure;
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (reply !== undefined && reply >= 500 && reply !== 503) {
    return new TerminalError('SMTP_REJECTED', `SMTP ${describe(e)}`, { cause: err });
  }
  if (reply !== undefined && reply >= 400) {
    return new RetryableError('SMTP_TEMPORARY', `SMTP ${describe(e)}`, { cause: err });
  }
  const terminal = e.code ? TERMINAL_WITHOUT_REPLY[e.code] : undefined;
  if (terminal) return new TerminalError(terminal, `${e.code}: ${describe(e)}`, { cause: err });
  return new RetryableError('SMTP_UNAVAILABLE', `${e.code ?? 'error'}: ${describe(e)}`, { cause: err });
}
