/**
 * The two kinds of failure every stage distinguishes. The bus retries a
 * RetryableError with a growing delay (bounded by max_deliver) and sends a
 * TerminalError straight to the dead-letter subject. Anything else is treated
 * as retryable until its last delivery: unknown errors are never acked and
 * dropped.
 */

/** UPPER_SNAKE code naming the failure, e.g. `OVER_LIMIT`, `SMTP_REJECTED`. */
export type ErrorCode = string;

abstract class PostroomError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A failure that may pass: a dead server, a timeout, a 4xx SMTP reply. */
export class RetryableError extends PostroomError {}

/** A failure that retrying cannot fix: unparseable input, over limits, config gone. */
export class TerminalError extends PostroomError {}

export const isTerminal = (err: unknown): err is TerminalError => err instanceof TerminalError;

/** The code of any thrown value, `UNKNOWN` when it has none. */
export const errorCode = (err: unknown): ErrorCode =>
  err instanceof PostroomError ? err.code : 'UNKNOWN';

/** One line describing the error and its causes, for logs, DLQ headers and status rows. */
export const describeError = (err: unknown): string => {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 4; depth += 1) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ').replace(/[\r\n]+/g, ' ').slice(0, 1000);
};
