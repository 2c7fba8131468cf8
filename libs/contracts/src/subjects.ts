/**
 * Every NATS subject and stream name Postroom uses, in one place.
 *
 * A namespace (NATS_NAMESPACE) prefixes subjects and stream names so that
 * several pipelines (staging and production, or parallel test runs) can
 * share one NATS server without their streams' subjects overlapping.
 * Subjects follow `<domain>.v<N>.<event>[.<qualifier>]`.
 */

export type ProviderName = 'imap' | 'gmail' | 'graph' | 'smtp' | 'import';

export const STREAM_NAMES = ['MAIL', 'TICKET', 'OUTBOUND', 'MAILBOX', 'ATTACHMENT', 'WORK', 'DLQ'] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

/**
 * The stage names; each is also its durable consumer name. Every stage but
 * `mailbox-actions` is its own service; `mailbox-actions` (mark \Seen / move
 * the source IMAP message once it is filed) runs inside the fetcher, which
 * holds the IMAP connections.
 */
export type StageName = 'fetcher' | 'parser' | 'classifier' | 'ticketer' | 'attachment' | 'sender' | 'mailbox-actions';

export interface Subjects {
  readonly namespace: string;
  stream(name: StreamName): string;
  /** The subjects a stream captures, e.g. `mail.v1.>`. */
  streamSubjects(name: StreamName): string[];
  mailPointer(provider: ProviderName): string;
  readonly mailPointerAll: string;
  readonly mailFetched: string;
  readonly mailParsed: string;
  readonly mailClassified: string;
  readonly ticketCreated: string;
  readonly ticketMessageAdded: string;
  readonly ticketUpdated: string;
  readonly ticketBounceRecorded: string;
  readonly outboundRequested: string;
  readonly outboundSent: string;
  readonly outboundFailed: string;
  readonly mailboxStatusChanged: string;
  readonly attachmentRecorded: string;
  /**
   * Internal work, not a contract for subscribers (they read `ticket.v1.*`):
   * the ticketer hands a filed message to the one stage that has something
   * to do with it, so the others are not woken for every email. Payload:
   * the same TicketMessageAdded as `ticket.v1.message_added`.
   * `work.v1.record_attachments`: it has attachments (the attachment stage).
   */
  readonly workRecordAttachments: string;
  /** `work.v1.apply_after_filed`: its mailbox names an afterFiled action (mailbox-actions, in the fetcher). */
  readonly workApplyAfterFiled: string;
  /**
   * Request/reply command to the ticketer (CreateReplyRequest →
   * CreateReplyResponse): `cmd.v1.ticket.reply`. Commands live under `cmd.`,
   * which no stream captures: on `ticket.v1.cmd.reply` the TICKET stream
   * (`ticket.v1.>`) would store every request and its PubAck would answer
   * the requester before the ticketer could.
   */
  readonly ticketCommandReply: string;
  /** Dead letters of one stage: `dlq.<stage>`. */
  deadLetter(stage: StageName): string;
  readonly deadLetterAll: string;
}

const STREAM_DOMAIN: Record<StreamName, string> = {
  MAIL: 'mail.v1',
  TICKET: 'ticket.v1',
  OUTBOUND: 'outbound.v1',
  MAILBOX: 'mailbox.v1',
  ATTACHMENT: 'attachment.v1',
  WORK: 'work.v1',
  DLQ: 'dlq',
};

/** Subject and stream names for a namespace ('' for none). */
export function subjects(namespace = ''): Subjects {
  if (namespace !== '' && !/^[A-Za-z0-9_-]+$/.test(namespace)) {
    throw new Error(`NATS_NAMESPACE "${namespace}" may only contain letters, digits, '_' and '-'`);
  }
  const s = (subject: string) => (namespace ? `${namespace}.${subject}` : subject);
  return {
    namespace,
    stream: (name) => (namespace ? `${namespace}_${name}` : name),
    streamSubjects: (name) => [s(`${STREAM_DOMAIN[name]}.>`)],
    mailPointer: (provider) => s(`mail.v1.pointer.${provider}`),
    mailPointerAll: s('mail.v1.pointer.>'),
    mailFetched: s('mail.v1.fetched'),
    mailParsed: s('mail.v1.parsed'),
    mailClassified: s('mail.v1.classified'),
    ticketCreated: s('ticket.v1.created'),
    ticketMessageAdded: s('ticket.v1.message_added'),
    ticketUpdated: s('ticket.v1.updated'),
    ticketBounceRecorded: s('ticket.v1.bounce_recorded'),
    outboundRequested: s('outbound.v1.requested'),
    outboundSent: s('outbound.v1.sent'),
    outboundFailed: s('outbound.v1.failed'),
    mailboxStatusChanged: s('mailbox.v1.status_changed'),
    attachmentRecorded: s('attachment.v1.recorded'),
    workRecordAttachments: s('work.v1.record_attachments'),
    workApplyAfterFiled: s('work.v1.apply_after_filed'),
    ticketCommandReply: s('cmd.v1.ticket.reply'),
    deadLetter: (stage) => s(`dlq.${stage}`),
    deadLetterAll: s('dlq.>'),
  };
}
