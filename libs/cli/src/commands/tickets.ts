/**
 * `postroom tickets [--tenant slug] [--limit n] [--json]` lists tickets;
 * `postroom ticket <number> [--tenant slug] [--json]` shows one with its messages.
 */
import { parseArgs } from 'node:util';
import { getTicketByNumber, listTicketMessages, listTickets } from '@postroom/db';
import { withDatabase } from '../context';
import { printJson, printTable } from '../output';
import { requireTenantId } from './tenant';

export async function listTicketsCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } });
  await withDatabase(async (ds) => {
    const tenantId = await requireTenantId(ds, values.tenant);
    const tickets = await listTickets(ds.manager, tenantId, { limit: Number(values.limit ?? 50) });
    if (values.json) return printJson(tickets);
    printTable(
      tickets.map((t) => ({ number: t.number, status: t.status, requester: t.requesterAddress, subject: t.subject, updated: t.updatedAt.toISOString() })),
      ['number', 'status', 'requester', 'subject', 'updated'],
    );
  });
}

export async function showTicketCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { tenant: { type: 'string' }, json: { type: 'boolean' } } });
  const number = Number(positionals[0]);
  if (!Number.isInteger(number) || number < 1) throw new Error('usage: postroom ticket <number> [--tenant slug]');
  await withDatabase(async (ds) => {
    const tenantId = await requireTenantId(ds, values.tenant);
    const ticket = await getTicketByNumber(ds.manager, tenantId, number);
    if (!ticket) throw new Error(`ticket #${number} not found`);
    const messages = await listTicketMessages(ds.manager, tenantId, ticket.id);
    if (values.json) return printJson({ ticket, messages });
    process.stdout.write(`#${ticket.number} [${ticket.status}] ${ticket.subject}\nrequester: ${ticket.requesterAddress ?? ''}\n\n`);
    printTable(
      messages.map((m) => ({
        id: m.id, direction: m.direction, from: m.fromAddress, kind: m.kind, matched_by: m.matchedBy,
        status: m.sendStatus ?? '', message_id: m.messageIdHeader, subject: m.subject,
      })),
      ['id', 'direction', 'from', 'kind', 'matched_by', 'status', 'message_id', 'subject'],
    );
  });
}
