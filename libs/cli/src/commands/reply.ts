/**
 * `postroom reply <ticket-number> --text "…" [--html "…"] [--cc a@b] [--tenant slug]`
 * creates an agent reply as a pending outbound message and asks the sender to
 * send it. `postroom outbound retry <message-id>` re-queues a failed send.
 */
import { parseArgs } from 'node:util';
import { createAgentReply, retryFailedSend, type OutboundRequest } from '@postroom/db';
import { OutboundRequestedSchema } from '@postroom/contracts';
import { publishEvent } from '@postroom/bus';
import { withBus, withDatabase } from '../context';
import { requireTenantId } from './tenant';

async function publishRequest(request: OutboundRequest): Promise<void> {
  await withBus(async (bus) => {
    await publishEvent(
      bus,
      { subject: bus.subjects.outboundRequested, schema: OutboundRequestedSchema, event: request.event, msgId: request.msgId },
      { tenantId: request.event.tenantId },
    );
  });
}

export async function replyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { tenant: { type: 'string' }, text: { type: 'string' }, html: { type: 'string' }, cc: { type: 'string', multiple: true } },
  });
  const ticketNumber = Number(positionals[0]);
  if (!Number.isInteger(ticketNumber) || !values.text) throw new Error('usage: postroom reply <ticket-number> --text "…" [--html "…"] [--cc addr]');
  const request = await withDatabase(async (ds) =>
    createAgentReply(ds, { tenantId: await requireTenantId(ds, values.tenant), ticketNumber, text: values.text!, html: values.html, cc: values.cc }),
  );
  await publishRequest(request);
  process.stdout.write(`queued reply ${request.message.id} on ticket #${ticketNumber} (Message-ID <${request.message.messageIdHeader}>)\n`);
}

export async function outboundCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { tenant: { type: 'string' } } });
  const [verb, messageId] = positionals;
  if (verb !== 'retry' || !messageId) throw new Error('usage: postroom outbound retry <message-id> [--tenant slug]');
  const request = await withDatabase(async (ds) => retryFailedSend(ds, await requireTenantId(ds, values.tenant), messageId));
  if (!request) throw new Error(`message ${messageId} is not a failed or unknown outbound send`);
  await publishRequest(request);
  process.stdout.write(`re-queued ${messageId}\n`);
}
