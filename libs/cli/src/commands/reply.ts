/**
 * `postroom reply <ticket-number> --text "…" [--html "…"] [--cc a@b] [--tenant slug]`
 * asks the ticketer (over its NATS command) to create an agent reply as a
 * pending outbound message, which the sender then sends.
 * `postroom outbound retry <message-id>` re-queues a failed send.
 */
import { parseArgs } from 'node:util';
import { outboundRequestedEmit, retryFailedSend, type OutboundRequest } from '@postroom/db';
import { publishEvent } from '@postroom/bus';
import { withBus, withDatabase } from '../context';
import { requireTenantId } from './tenant';
import { replyViaNats } from './reply-via-nats';

async function publishRequest(request: OutboundRequest): Promise<void> {
  await withBus(async (bus) => {
    await publishEvent(bus, outboundRequestedEmit(request, bus.subjects), { tenantId: request.event.tenantId });
  });
}

export async function replyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { tenant: { type: 'string' }, text: { type: 'string' }, html: { type: 'string' }, cc: { type: 'string', multiple: true } },
  });
  const ticketNumber = Number(positionals[0]);
  if (!Number.isInteger(ticketNumber) || !values.text) throw new Error('usage: postroom reply <ticket-number> --text "…" [--html "…"] [--cc addr]');
  const { messageId, messageIdHeader } = await replyViaNats({ tenant: values.tenant, ticketNumber, text: values.text, html: values.html, cc: values.cc });
  process.stdout.write(`queued reply ${messageId} on ticket #${ticketNumber} (Message-ID <${messageIdHeader}>)\n`);
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
