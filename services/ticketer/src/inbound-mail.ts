/**
 * The ticketer's view of one classified email: the event's fields, the body
 * document's text and HTML, and the verdict reduced to what filing needs.
 * Pure, so the mapping is unit-tested without a database.
 */
import {
  MailKind,
  Provider,
  VerdictSchema,
  toJson,
  type Address,
  type AttachmentDescriptor,
  type BounceReport,
  type MailClassified,
} from '@postroom/contracts';
import { DEFAULT_KIND_ACTIONS, type ConfigurableKind, type KindAction } from '@postroom/db';
import { TerminalError } from '@postroom/errors';

export interface MailAddress {
  name: string;
  address: string;
}

export interface InboundMail {
  tenantId: string;
  mailboxId: string;
  mailId: string;
  /** Message-ID without angle brackets. */
  messageId: string;
  inReplyTo: string[];
  /** Oldest first, as in the header. */
  references: string[];
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  text: string;
  html: string;
  kind: MailKind;
  /** The verdict as protobuf JSON, stored on the row. */
  verdictJson: unknown;
  bounce: BounceReport | undefined;
  receivedAt: Date;
  raw: { key: string; sha256: string; size: number } | null;
  imported: boolean;
  /** Where the message lives on the IMAP server (for the mailbox's afterFiled action); null for other providers. */
  imapSource: { folder: string; uidValidity: number; uid: number } | null;
  /** `thread:<mailbox>:<provider thread id>` when the provider groups conversations. */
  providerThreadKey: string | null;
  /** Lower-cased header name → values. */
  headers: Map<string, string[]>;
  /** Return-Path: <> (RFC 5321 §4.5.5): a bounce or other notification. */
  nullSender: boolean;
  attachments: AttachmentDescriptor[];
}

/** `<id@host>` → `id@host`; a header may carry whitespace and brackets. */
export const normalizeMessageId = (id: string): string => id.trim().replace(/^<+/, '').replace(/>+$/, '').trim();

const address = (a: Address): MailAddress => ({ name: a.name.replace(/[\r\n]+/g, ' '), address: a.address.trim().toLowerCase() });

const ids = (list: string[]): string[] => list.map(normalizeMessageId).filter((id) => id !== '');

/** Maps a MailClassified event and its body onto an InboundMail; a malformed event is terminal. */
export function toInboundMail(e: MailClassified, body: { text: string; html: string }): InboundMail {
  const parsed = e.parsed;
  const ref = parsed?.mail;
  if (!parsed || !ref || !ref.tenantId || !ref.mailboxId || !ref.mailId) {
    throw new TerminalError('INVALID_EVENT', 'mail.v1.classified without tenant, mailbox or mail id');
  }
  const messageId = normalizeMessageId(parsed.messageId) || `${ref.mailId}@mail-id.postroom.invalid`;
  const headers = new Map<string, string[]>();
  for (const h of parsed.headers) headers.set(h.name.toLowerCase(), [...(headers.get(h.name.toLowerCase()) ?? []), h.value]);
  const threadId = ref.source?.providerThreadId;
  return {
    tenantId: ref.tenantId,
    mailboxId: ref.mailboxId,
    mailId: ref.mailId,
    messageId,
    inReplyTo: ids(parsed.inReplyTo).filter((id) => id !== messageId),
    references: ids(parsed.references).filter((id) => id !== messageId),
    from: parsed.from?.address ? address(parsed.from) : null,
    to: parsed.to.filter((a) => a.address).map(address),
    cc: parsed.cc.filter((a) => a.address).map(address),
    replyTo: parsed.replyTo.filter((a) => a.address).map(address),
    subject: parsed.subject,
    text: body.text,
    html: body.html,
    kind: e.verdict?.kind ?? MailKind.NORMAL,
    verdictJson: e.verdict ? toJson(VerdictSchema, e.verdict) : null,
    bounce: e.verdict?.bounce,
    receivedAt: new Date(Number(ref.observedAtMs) || Number(parsed.dateMs) || Date.now()),
    raw: parsed.raw?.key ? { key: parsed.raw.key, sha256: parsed.raw.sha256, size: Number(parsed.raw.size) } : null,
    imported: ref.imported,
    imapSource: ref.source?.provider === Provider.IMAP && ref.source.uid > 0
      ? { folder: ref.source.folder, uidValidity: ref.source.uidValidity, uid: ref.source.uid }
      : null,
    providerThreadKey: threadId ? `thread:${ref.mailboxId}:${threadId}` : null,
    headers,
    nullSender: parsed.hasReturnPath && parsed.returnPath === '',
    attachments: parsed.attachments,
  };
}

/** The kind as stored in messages.kind: `normal`, `spam`, `out_of_office`, … */
export function kindName(kind: MailKind): string {
  if (kind === MailKind.UNSPECIFIED) return 'normal';
  return (MailKind[kind] ?? 'NORMAL').toLowerCase();
}

export const kindFromName = (name: string): MailKind =>
  (MailKind as unknown as Record<string, MailKind>)[name.toUpperCase()] ?? MailKind.NORMAL;

/** Mail a person wrote (or no verdict): a conversation, which may get an auto-response. */
export const isPersonMail = (kind: MailKind): boolean => kind === MailKind.NORMAL || kind === MailKind.UNSPECIFIED;

/**
 * How a kind is filed, given the mailbox's action for it
 * (`settings.classification`, defaults in @postroom/db). `ticket`: opens or
 * joins a ticket like a customer's mail. `follow`: joins the ticket it
 * replies to (an out-of-office answering our reply belongs on that ticket)
 * but never opens, reopens or auto-responds. `bounce`: linked to the
 * outbound message it reports on, then filed as its action says. `none`:
 * stored without a ticket.
 */
export function filingOf(kind: MailKind, actions: Record<ConfigurableKind, KindAction> = DEFAULT_KIND_ACTIONS): Filing {
  if (isPersonMail(kind)) return 'ticket';
  if (kind === MailKind.BOUNCE) return 'bounce';
  const action = actions[kindName(kind) as ConfigurableKind] ?? 'store';
  return action === 'attach' ? 'follow' : action === 'ticket' ? 'ticket' : 'none';
}

export type Filing = 'ticket' | 'follow' | 'bounce' | 'none';
