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

/** At most `max` automatic mails within `windowMs`. */
export interface RateCap {
  max: number;
  windowMs: number;
}

export interface TicketerPolicy {
  /** See TICKETER_DEDUPE_SCOPE. */
  dedupeScope: 'tenant' | 'mailbox';
  /** Ticket tag format, e.g. `[#{number}]`. */
  tagFormat: string;
  /**
   * Loop caps on automatic mail: every per-recipient window must have room
   * (e.g. 3 an hour and 10 a day), and a ticket gets at most `perTicket` ever.
   */
  autoResponse: { perRecipient: RateCap[]; perTicket: number };
  /** How long a hard-bounced address stays on the suppression list. */
  suppression: { expiryMs: number };
}

const HOUR = 60 * 60_000;

export const DEFAULT_POLICY: TicketerPolicy = {
  dedupeScope: 'tenant',
  tagFormat: '[#{number}]',
  autoResponse: { perRecipient: [{ max: 3, windowMs: HOUR }, { max: 10, windowMs: 24 * HOUR }], perTicket: 1 },
  suppression: { expiryMs: 30 * 24 * HOUR },
};

export interface TicketerDeps {
  db: DataSource;
  blobs: BlobReader;
  subjects: Subjects;
  policy?: TicketerPolicy;
  clock?: () => Date;
}
