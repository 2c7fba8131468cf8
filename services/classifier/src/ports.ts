/** What the classifier's handler needs from the outside world, as interfaces. */
import type { BlobStore } from '@postroom/blob';
import type { Subjects } from '@postroom/contracts';
import type { Rule } from './verdict';

export interface ClassifierDeps {
  /** Reads the MailBody document (text-only bounces and absence notes need the body). */
  blobs: Pick<BlobStore, 'get'>;
  subjects: Subjects;
  rules?: readonly Rule[];
}
