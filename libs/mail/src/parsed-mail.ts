/**
 * The parser's output, independent of the MIME library that produced it and
 * of the protobuf contract it is mapped onto (to-mail-parsed.ts).
 */
import type { HeaderField } from './header-fields';

export interface MailAddress {
  name: string;
  address: string;
}

export interface ParsedAttachment {
  /** Position among the mail's attachments, stable across re-parses. */
  index: number;
  /** Never empty: a safe name is made up when the part names none. */
  filename: string;
  contentType: string;
  size: number;
  /** Content-ID without angle brackets, '' when none. */
  contentId: string;
  inline: boolean;
  content: Uint8Array;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
}

/** A machine-readable part of an RFC 6522 report (or an embedded message's header block). */
export interface ReportPartText {
  contentType: string;
  text: string;
}

export interface ParsedMail {
  /** Without angle brackets; generated (and flagged) when the mail had none. */
  messageId: string;
  messageIdGenerated: boolean;
  inReplyTo: string[];
  /** Oldest first, without angle brackets. */
  references: string[];
  from: MailAddress | undefined;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  /** Unix milliseconds of the Date header, 0 when missing or unparseable. */
  dateMs: number;
  text: string;
  /** Sanitised HTML, '' when the mail had no HTML part. */
  html: string;
  attachments: ParsedAttachment[];
  /** Every top-level header, names lower-cased, values unfolded, order kept. */
  headers: HeaderField[];
  /** Top-level Content-Type with parameters. */
  contentType: string;
  reportParts: ReportPartText[];
  /** Topmost Return-Path without brackets; '' for the null sender `<>` or when missing. */
  returnPath: string;
  hasReturnPath: boolean;
}

export interface ParseLimits {
  /** Raw size above which a mail is rejected as OVER_LIMIT. */
  maxBytes: number;
  /** Characters kept of each report part's text. */
  maxReportPartChars: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxReportPartChars: 64 * 1024,
});
