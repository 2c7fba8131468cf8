/** What the classifier's handler needs from the outside world, as interfaces. */
import type { BlobStore } from '@postroom/blob';
import type { Subjects } from '@postroom/contracts';
import type { SpamEngineDeps } from './spam-engine';
import type { Rule } from './verdict';

export interface ClassifierDeps {
  /** Reads the MailBody document (text-only bounces and absence notes need the body) and, for a spam engine, the raw message. */
  blobs: Pick<BlobStore, 'get'>;
  subjects: Subjects;
  rules?: readonly Rule[];
  /** The optional spam engine (rspamd); without it the rule chain alone decides. */
  spamEngine?: Omit<SpamEngineDeps, 'blobs'>;
}
