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
   */
  fetchRaw(ref: ImapMessageRef, maxBytes: number): Promise<Uint8Array>;
}

export type { BlobStore };
