/**
 * Why the bus refused to start or to act, with a stable code so that callers
 * (and the one-line startup error) can tell "NATS is down" from "NATS is too
 * old" from "JetStream is off" without parsing messages.
 */

export type BusErrorCode =
  | 'NATS_UNREACHABLE'
  | 'NATS_TOO_OLD'
  | 'JETSTREAM_DISABLED'
  | 'TOPOLOGY_CONFLICT'
  | 'DEAD_LETTER_NOT_FOUND'
  | 'COMMAND_NO_RESPONDERS'
  | 'COMMAND_TIMEOUT'
  | 'COMMAND_FAILED';

export class BusError extends Error {
  readonly code: BusErrorCode;

  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusError';
    this.code = code;
  }
}
