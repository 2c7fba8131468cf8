/**
 * A tenant whose mailbox sends through the test's SMTP sink, with a ticket
 * that has one inbound customer message, so agent replies can be created
 * with createAgentReply exactly as the CLI does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createNatsBlobStore } from '@postroom/blob';
import { createSecretBox, type SecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, insertMessageOnNewTicket, type TicketRow } from '@postroom/db';
import type { SmtpSink, TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { createSmtpTransport } from '../src/smtp-transport';

export interface Outbox {
  tenantId: string;
  mailboxId: string;
  secrets: SecretBox;
  handle: ReturnType<typeof createHandler>;
  /** Opens a ticket with one inbound message `<inboundId>` from alice@customer.test. */
  openTicket(subject: string, inboundId: string): Promise<TicketRow>;
}

export async function createOutbox(env: TestEnv, sink: SmtpSink): Promise<Outbox> {
  const tenant = await createTenant(env.ds, { name: 'Acme Inc', slug: `acme-${randomUUID().slice(0, 8)}` });
  const secrets = createSecretBox({ key: randomBytes(32).toString('base64') });
  const mailbox = await createMailbox(env.ds, secrets, {
    tenantId: tenant.id, name: 'Support', address: 'support@acme.test', displayName: 'Acme Support', provider: 'imap',
    settings: { smtp: { host: sink.host, port: sink.port, secure: false } },
    credentials: { smtp: { user: 'support-smtp', password: 'smtp-secret' } },
  });
  const handle = createHandler({
    db: env.ds, secrets, blobs: await createNatsBlobStore(env.bus),
    transport: createSmtpTransport({ timeoutMs: 5_000 }), subjects: env.bus.subjects,
  });
  // The ticketer's own filing statement: the ticket, the message, its thread key and its participant.
  const openTicket = async (subject: string, inboundId: string): Promise<TicketRow> => {
    const message = {
      tenantId: tenant.id, id: randomUUID(), ticketId: randomUUID(), mailboxId: mailbox.id, mailId: randomUUID(),
      direction: 'inbound' as const, messageIdHeader: inboundId, inReplyTo: [], references: [], fromAddress: 'alice@customer.test',
      fromName: 'Alice', to: [{ name: '', address: 'support@acme.test' }], cc: [], replyTo: [], subject, textBody: 'Help',
      htmlBody: null, kind: 'normal', verdict: null, matchedBy: 'NEW_TICKET', sendStatus: null, automatic: false,
    };
    const ticket = { subject, requesterAddress: 'alice@customer.test', requesterName: 'Alice' };
    const thread = { keys: [inboundId], people: ['alice@customer.test'] };
    return (await insertMessageOnNewTicket(env.ds, message, ticket, thread)).ticket;
  };
  return { tenantId: tenant.id, mailboxId: mailbox.id, secrets, handle, openTicket };
}
