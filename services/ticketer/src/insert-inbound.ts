/**
 * The inbound message row, as every filing path writes it: the parsed
 * addresses, subject and bodies, the verdict, how it was threaded, and where
 * it lives on the IMAP server (the fetcher's mailbox-actions stage reads
 * those once the row is filed).
 */
import { randomUUID } from 'node:crypto';
import { insertMessage, type MessageRow, type NewMessage, type Queryable } from '@postroom/db';
import { isPersonMail, kindName, type InboundMail } from './inbound-mail';
import type { MatchedByName } from './thread-match';

/** The inbound message row of `mail`, on a ticket when `link` is given. */
export function inboundRow(
  mail: InboundMail,
  link: { ticketId: string; matchedBy: MatchedByName; detail: string } | undefined,
): NewMessage {
  return {
    tenantId: mail.tenantId, id: randomUUID(), ticketId: link?.ticketId ?? null, mailboxId: mail.mailboxId,
    mailId: mail.mailId, direction: 'inbound', messageIdHeader: mail.messageId, inReplyTo: mail.inReplyTo,
    references: mail.references, fromAddress: mail.from?.address ?? null, fromName: mail.from?.name || null,
    to: mail.to, cc: mail.cc, replyTo: mail.replyTo, subject: mail.subject, textBody: mail.text,
    htmlBody: mail.html, kind: kindName(mail.kind), verdict: mail.verdictJson, matchedBy: link?.matchedBy ?? null,
    matchDetail: link?.detail ?? null, sendStatus: null, automatic: !isPersonMail(mail.kind),
    receivedAt: mail.receivedAt, rawKey: mail.raw?.key ?? null, rawSha256: mail.raw?.sha256 ?? null,
    rawSize: mail.raw?.size ?? null, source: mail.imapSource,
  };
}

/** Inserts the inbound message row, on a ticket when `link` is given. */
export async function insertInbound(
  q: Queryable,
  mail: InboundMail,
  link: { ticketId: string; matchedBy: MatchedByName; detail: string } | undefined,
): Promise<MessageRow> {
  return insertMessage(q, inboundRow(mail, link));
}
