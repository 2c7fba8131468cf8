/**
 * The agent reply through the ticketer's NATS command (cmd.v1.ticket.reply)
 * instead of writing the row from the CLI: the ticketer owns the ticket rows
 * and the tag format, and the CLI needs no database write access. The
 * ticketer answers with the pending message's id, or an error code.
 */
import { callCommand, type Bus } from '@postroom/bus';
import { create, CreateReplyRequestSchema, CreateReplyResponseSchema } from '@postroom/contracts';
import { withBus, withDatabase } from '../context';
import { requireTenantId } from './tenant';

export interface ReplyInput {
  tenantId: string;
  ticketNumber: number;
  text: string;
  html?: string;
  cc?: string[];
}

export interface QueuedReply {
  messageId: string;
  messageIdHeader: string;
}

/** The ticketer refused the reply: `code` is its error_code (TICKET_NOT_FOUND, INVALID_REQUEST, …). */
export class ReplyCommandError extends Error {
  readonly code: string;
  /** Set for QUEUE_FAILED: the pending row exists. */
  readonly messageId: string;

  constructor(code: string, message: string, messageId = '') {
    super(message);
    this.name = 'ReplyCommandError';
    this.code = code;
    this.messageId = messageId;
  }
}

/** Asks the ticketer to create and queue the reply; throws ReplyCommandError, or BusError when no ticketer answers. */
export async function callReplyCommand(bus: Bus, input: ReplyInput, timeoutMs = 10_000): Promise<QueuedReply> {
  const spec = { subject: bus.subjects.ticketCommandReply, request: CreateReplyRequestSchema, response: CreateReplyResponseSchema };
  const request = create(CreateReplyRequestSchema, {
    tenantId: input.tenantId,
    ticketNumber: BigInt(input.ticketNumber),
    text: input.text,
    html: input.html ?? '',
    cc: input.cc ?? [],
  });
  const res = await callCommand(bus, spec, request, { timeoutMs, tenantId: input.tenantId });
  if (res.errorCode) throw new ReplyCommandError(res.errorCode, `${res.errorCode}: ${res.error}`, res.messageId);
  return { messageId: res.messageId, messageIdHeader: res.messageIdHeader };
}

/** `postroom reply` through NATS: resolves `--tenant <slug>`, then calls the command. */
export async function replyViaNats(input: Omit<ReplyInput, 'tenantId'> & { tenant?: string }): Promise<QueuedReply> {
  const tenantId = await withDatabase((ds) => requireTenantId(ds, input.tenant));
  return withBus((bus) => callReplyCommand(bus, { ...input, tenantId }));
}
