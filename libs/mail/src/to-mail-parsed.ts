/**
 * ParsedMail → the MailParsed contract (proto/postroom/mail/v1). The parser
 * service fills in the blob references after storing body and attachments;
 * offline tools (`postroom classify`, the classifier's evaluation) map
 * without any, since classification reads headers and report parts only.
 */
import {
  AddressSchema,
  AttachmentDescriptorSchema,
  BlobRefSchema,
  HeaderSchema,
  MailParsedSchema,
  ReportPartSchema,
  create,
  type BlobRef,
  type MailParsed,
  type MailRef,
} from '@postroom/contracts';
import type { MailAddress, ParsedMail } from './parsed-mail';

export interface MailParsedRefs {
  mail?: MailRef;
  raw?: BlobRef;
  body?: BlobRef;
  /** One per attachment, by index; missing ones map to an empty reference. */
  attachments?: readonly BlobRef[];
}

const address = (a: MailAddress) => create(AddressSchema, { name: a.name, address: a.address });

export function toMailParsed(parsed: ParsedMail, refs: MailParsedRefs = {}): MailParsed {
  return create(MailParsedSchema, {
    mail: refs.mail,
    raw: refs.raw,
    messageId: parsed.messageId,
    messageIdGenerated: parsed.messageIdGenerated,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    from: parsed.from ? address(parsed.from) : undefined,
    to: parsed.to.map(address),
    cc: parsed.cc.map(address),
    replyTo: parsed.replyTo.map(address),
    subject: parsed.subject,
    dateMs: BigInt(parsed.dateMs),
    body: refs.body,
    attachments: parsed.attachments.map((a) =>
      create(AttachmentDescriptorSchema, {
        filename: a.filename,
        contentType: a.contentType,
        size: BigInt(a.size),
        contentId: a.contentId,
        inline: a.inline,
        blob: refs.attachments?.[a.index] ?? create(BlobRefSchema, { size: BigInt(a.size), sha256: a.sha256 }),
        index: a.index,
      }),
    ),
    headers: parsed.headers.map((h) => create(HeaderSchema, { name: h.name, value: h.value })),
    contentType: parsed.contentType,
    reportParts: parsed.reportParts.map((p) => create(ReportPartSchema, { contentType: p.contentType, text: p.text })),
    returnPath: parsed.returnPath,
    hasReturnPath: parsed.hasReturnPath,
  });
}
