/**
 * The inbound message row, as every filing path writes it: the parsed
 * addresses, subject and bodies, the verdict, and how it was threaded.
 */
import { randomUUID } from 'node:crypto';
import { insertMessage, type MessageRow, type Queryable } from '@postroom/db';
import { isPersonMail, kindName, type InboundMail } from './inbound-mail';
import type { MatchedByName } from './thread-match';

/** Inserts the inbound message row, on a ticket when `link` is given. */
export async function insertInbound(
  q: Queryable,
  mail: InboundMail,
  link: { ticketId: string; matchedBy: MatchedByName; detail: string } | undefined,
): Promise<MessageRow> {
  const row = await insertMessage(q, {
    tenantId: mail.tenantId, id: randomUUID(), ticketId: link?.ticketId ?? null, mailboxId: mail.mailboxId,
    mailId: mail.mailId, direction: 'inbound', messageIdHeader: mail.messageId, inReplyTo: mail.inReplyTo,
    references: mail.references, fromAddress: mail.from?.address ?? null, fromName: mail.from?.name || null,
    to: mail.to, cc: mail.cc, replyTo: mail.replyTo, subject: mail.subject, textBody: mail.text,
    htmlBody: mail.html, kind: kindName(mail.kind), verdict: mail.verdictJson, matchedBy: link?.matchedBy ?? null,
    matchDetail: link?.detail ?? null, sendStatus: null, automatic: !isPersonMail(mail.kind),
    receivedAt: mail.receivedAt, rawKey: mail.raw?.key ?? null, rawSha256: mail.raw?.sha256 ?? null,
    rawSize: mail.raw?.size ?? null,
  });
  if (mail.imapSource) await recordImapSource(q, row, mail.imapSource);
  return row;
}

/** Same transaction as the insert: the fetcher's mailbox-actions stage reads these once the row is filed. */
async function recordImapSource(q: Queryable, row: MessageRow, at: NonNullable<InboundMail['imapSource']>): Promise<void> {
  await q.query(
    `UPDATE messages SET source_folder = $3, source_uid_validity = $4, source_uid = $5 WHERE tenant_id = $1 AND id = $2`,
    [row.tenantId, row.id, at.folder, at.uidValidity, at.uid],
  );
}
