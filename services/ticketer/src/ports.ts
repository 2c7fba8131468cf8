/**
 * What the ticketer's handler needs from the outside world. The database is
 * a real PostgreSQL DataSource (the filing transaction is the point of this
 * service; tests run it against a real server), the blob store only reads.
 */
import type { DataSource } from '@postroom/db';
import type { Subjects } from '@postroom/contracts';

/** Reads the MailBody documents the parser stored. */
export interface BlobReader {
  get(key: string): Promise<Uint8Array>;
}

export interface TicketerPolicy {
  /** See TICKETER_DEDUPE_SCOPE. */
  dedupeScope: 'tenant' | 'mailbox';
  /** Ticket tag format, e.g. `[#{number}]`. */
  tagFormat: string;
  autoResponse: { maxPerRecipient: number; windowMs: number };
}

export const DEFAULT_POLICY: TicketerPolicy = {
  dedupeScope: 'tenant',
  tagFormat: '[#{number}]',
  autoResponse: { maxPerRecipient: 3, windowMs: 60 * 60_000 },
};

export interface TicketerDeps {
  db: DataSource;
  blobs: BlobReader;
  subjects: Subjects;
  policy?: TicketerPolicy;
  clock?: () => Date;
}
