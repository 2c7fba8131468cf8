/**
 * What the sender needs from the outside: the database (the send state
 * machine lives in message rows), the mailbox credentials' secret box, the
 * blob store for outbound attachments, and a mail transport. nodemailer sits
 * behind MailTransport (smtp-transport.ts), so Gmail API or Graph transports
 * can be added without touching the state machine.
 */
import type { DataSource } from '@postroom/db';
import type { Subjects } from '@postroom/contracts';
import type { SecretBox } from '@postroom/crypto';

export interface MailAddress {
  name: string;
  address: string;
}

/** A fully built outgoing email; every header value is already checked for CR/LF. */
export interface OutgoingMail {
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  text: string;
  html?: string;
  /** With angle brackets, e.g. `<uuid@example.com>`. */
  messageId: string;
  inReplyTo?: string;
  references: string[];
  headers: Record<string, string>;
  attachments: Array<{ filename: string; contentType: string; content: Buffer; cid?: string }>;
}

export interface SmtpServer {
  host: string;
  port: number;
  secure: boolean;
}

export interface SmtpAuth {
  user: string;
  password?: string;
  accessToken?: string;
}

export interface SendResult {
  /** The server's final reply, e.g. `250 2.0.0 Ok: queued as 4F2`. */
  response: string;
}

export interface MailTransport {
  /** Sends one email; rejects with nodemailer's error (classified by classify-smtp-error). */
  send(server: SmtpServer, auth: SmtpAuth | undefined, mail: OutgoingMail): Promise<SendResult>;
  close(): Promise<void>;
}

export interface BlobReader {
  get(key: string): Promise<Uint8Array>;
}

export interface SenderDeps {
  db: DataSource;
  secrets: SecretBox;
  blobs: BlobReader;
  transport: MailTransport;
  subjects: Subjects;
  clock?: () => Date;
}
