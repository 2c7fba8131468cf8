/**
 * What the fetcher's handler needs: somewhere to read raw messages from (the
 * IMAP pool behind it) and the blob store to put them in.
 */
import type { BlobStore } from '@postroom/blob';

/** Where one IMAP message lives. */
export interface ImapMessageRef {
  tenantId: string;
  mailboxId: string;
  folder: string;
  uidValidity: number;
  uid: number;
}

export interface RawMessageSource {
  /**
   * The message's RFC 5322 bytes. Throws TerminalError UIDVALIDITY_CHANGED,
   * MESSAGE_GONE or OVER_LIMIT (size above `maxBytes`, checked before
   * downloading), and RetryableError for connection and auth trouble.
   * `knownSize`: the RFC822.SIZE ingress read for this UID (0: unknown).
   */
  fetchRaw(ref: ImapMessageRef, maxBytes: number, knownSize?: number): Promise<Uint8Array>;
}

export type { BlobStore };

/** A filed message as the mailbox-actions stage needs it: its mailbox and where it lives on the server. */
export interface FiledMessage {
  tenantId: string;
  mailboxId: string;
  provider: string;
  /** The mailbox's settings jsonb (parsed with @postroom/imap). */
  settings: unknown;
  /** Null when the message did not come over IMAP. */
  source: { folder: string; uidValidity: number; uid: number } | null;
}

/** A mailbox as the mailbox-actions stage needs it to decide whether anything is to be done. */
export type MailboxSettings = Pick<FiledMessage, 'provider' | 'settings'>;

export interface FiledMessages {
  /** The message row `messageRowId` of the tenant with its mailbox, or undefined when it is gone. */
  find(tenantId: string, messageRowId: string): Promise<FiledMessage | undefined>;
}

/** What happened to the source message: acted on, already gone, or no longer addressable (UIDVALIDITY changed). */
export type SourceActionOutcome = 'done' | 'gone' | 'uidvalidity-changed';

export interface SourceMailbox {
  /**
   * Marks the message \Seen and/or moves it. Idempotent: a message already
   * flagged or already moved is success ('gone'). Throws RetryableError for
   * connection and auth trouble.
   */
  apply(ref: ImapMessageRef, actions: { markSeen: boolean; moveTo?: string }): Promise<SourceActionOutcome>;
}
