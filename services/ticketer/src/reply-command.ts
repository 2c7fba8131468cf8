/**
 * The agent-reply command (issue 5, item 5) on NATS request/reply: create
 * the reply on a ticket as a pending outbound message, queue it for the
 * sender, and answer with its id. Every ticketer replica serves it in the
 * `ticketer` queue group, so each request is handled once. Outcomes the
 * caller can act on (bad input, unknown ticket) are error codes in the
 * response; the subscription never dies of a request.
 *
 * Order matters as in the stage: the row is committed (createAgentReply's
 * transaction) before OutboundRequested is published, so the sender never
 * sees a request for a row that does not exist.
 */
import { publishEvent, serveCommand, type Bus, type CommandServer, type CommandSpec } from '@postroom/bus';
import {
  create,
  CreateReplyRequestSchema,
  CreateReplyResponseSchema,
  type CreateReplyRequest,
  type CreateReplyResponse,
  type Subjects,
} from '@postroom/contracts';
import { createAgentReply, getMailboxIdentity, outboundRequestedEmit, getTicketByNumber, type DataSource, type OutboundRequest } from '@postroom/db';
import { describeError } from '@postroom/errors';
import type { Logger } from '@postroom/telemetry';

export type ReplyCommandSpec = CommandSpec<CreateReplyRequest, CreateReplyResponse>;

/** The command's subject and types; callers use the same spec with callCommand. */
export const replyCommandSpec = (subjects: Subjects): ReplyCommandSpec => ({
  subject: subjects.ticketCommandReply,
  request: CreateReplyRequestSchema,
  response: CreateReplyResponseSchema,
});

export interface ReplyCommandDeps {
  bus: Bus;
  ds: DataSource;
  logger: Logger;
  /** TICKETER_TICKET_TAG; `[#{number}]` by default. */
  tagFormat?: string;
  concurrency?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An addr-spec without display name, brackets, separators or whitespace (no header injection, RFC 5322 §3.4.1). */
const ADDR_SPEC = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;

const failure = (errorCode: string, error: string, ok?: OutboundRequest): CreateReplyResponse =>
  create(CreateReplyResponseSchema, {
    errorCode,
    error,
    messageId: ok?.message.id ?? '',
    messageIdHeader: ok?.message.messageIdHeader ?? '',
  });

/** Why the request cannot be served as sent, or undefined. */
function invalidReason(req: CreateReplyRequest): string | undefined {
  if (!UUID.test(req.tenantId)) return 'tenant_id must be a tenant uuid';
  if (req.ticketNumber < 1n || req.ticketNumber > BigInt(Number.MAX_SAFE_INTEGER)) return 'ticket_number must be a ticket number';
  if (req.text.trim() === '') return 'text is required';
  const bad = req.cc.find((a) => !ADDR_SPEC.test(a.trim()));
  return bad === undefined ? undefined : `cc "${bad.slice(0, 100)}" is not an email address`;
}

/** Why the reply cannot be made on this ticket (unknown ticket or mailbox), or undefined. */
async function missingReason(ds: DataSource, req: CreateReplyRequest): Promise<CreateReplyResponse | undefined> {
  const number = Number(req.ticketNumber);
  const ticket = await getTicketByNumber(ds, req.tenantId, number);
  if (!ticket) return failure('TICKET_NOT_FOUND', `ticket #${number} not found`);
  const mailbox = ticket.mailboxId ? await getMailboxIdentity(ds, req.tenantId, ticket.mailboxId) : undefined;
  return mailbox ? undefined : failure('MAILBOX_NOT_FOUND', `ticket #${number} has no mailbox to reply from`);
}

async function queue(deps: ReplyCommandDeps, request: OutboundRequest): Promise<void> {
  await publishEvent(deps.bus, outboundRequestedEmit(request, deps.bus.subjects), { tenantId: request.event.tenantId });
}

/** The command handler: validate, create the pending row, queue it, answer with its id. */
export function createReplyHandler(deps: ReplyCommandDeps): (req: CreateReplyRequest) => Promise<CreateReplyResponse> {
  return async (req) => {
    const invalid = invalidReason(req);
    if (invalid) return failure('INVALID_REQUEST', invalid);
    let request: OutboundRequest;
    try {
      const missing = await missingReason(deps.ds, req);
      if (missing) return missing;
      const { tenantId, text, html, cc } = req;
      request = await createAgentReply(deps.ds, {
        tenantId, ticketNumber: Number(req.ticketNumber), text, html: html || undefined, cc: cc.map((a) => a.trim()), tagFormat: deps.tagFormat,
      });
    } catch (err) {
      deps.logger.error({ err: describeError(err), tenantId: req.tenantId }, 'agent reply not created');
      return failure('INTERNAL', describeError(err));
    }
    try {
      await queue(deps, request);
    } catch (err) {
      deps.logger.error({ err: describeError(err), tenantId: req.tenantId, messageId: request.message.id }, 'agent reply not queued');
      return failure('QUEUE_FAILED', `reply ${request.message.id} saved but not queued: ${describeError(err)}`, request);
    }
    deps.logger.info({ tenantId: req.tenantId, messageId: request.message.id, ticketNumber: Number(req.ticketNumber) }, 'agent reply queued');
    return create(CreateReplyResponseSchema, { messageId: request.message.id, messageIdHeader: request.message.messageIdHeader });
  };
}

/** Serves the reply command in queue group `ticketer` until stop(). */
export function startReplyCommand(deps: ReplyCommandDeps): CommandServer {
  const handle = createReplyHandler(deps);
  return serveCommand(deps.bus, {
    ...replyCommandSpec(deps.bus.subjects),
    queue: 'ticketer',
    handle: (req) => handle(req),
    logger: deps.logger,
    concurrency: deps.concurrency,
  });
}

