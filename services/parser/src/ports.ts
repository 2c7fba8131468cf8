/** What the parser's handler needs from the outside world, as interfaces. */
import type { BlobStore } from '@postroom/blob';
import type { Subjects } from '@postroom/contracts';
import type { ParseLimits } from '@postroom/mail';

/** The blob store operations the parser uses (raw in, attachments and body out). */
export type ParserBlobs = Pick<BlobStore, 'get' | 'put'>;

export interface ParserDeps {
  blobs: ParserBlobs;
  limits: Partial<ParseLimits>;
  subjects: Subjects;
}
