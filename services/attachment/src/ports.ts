/**
 * What the attachment service needs: the database (attachment rows), the
 * blob store (bytes for downloads), the subjects it publishes on, a clock.
 */
import type { DataSource } from '@postroom/db';
import type { Subjects } from '@postroom/contracts';

export interface BlobReader {
  get(key: string): Promise<Uint8Array>;
}

export interface AttachmentDeps {
  db: DataSource;
  blobs: BlobReader;
  subjects: Subjects;
  clock?: () => Date;
}
