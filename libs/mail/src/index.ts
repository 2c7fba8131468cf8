/**
 * Pure email helpers: RFC 5322 header fields and Message-IDs, the ticket
 * subject tag, RFC 3834 automation signals, RFC 3464/8098/5965 report
 * parsing, and MIME parsing into ParsedMail (the parser stage) with its
 * mapping onto the MailParsed contract. No I/O.
 */
export * from './header-fields';
export * from './message-id';
export * from './subject-tag';
export * from './auto-reply-signals';
export * from './delivery-status';
export * from './report-fields';
export * from './parsed-mail';
export { parseMail } from './parse-mail';
export { safeFilename } from './mail-parts';
export { sanitizeMailHtml } from './sanitize-mail-html';
export { toMailParsed } from './to-mail-parsed';
export type { MailParsedRefs } from './to-mail-parsed';
export { readMailBody, type BodyBlobs, type MailBodyText } from './mail-body';
