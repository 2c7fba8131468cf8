/** The fetcher's settings: base, credentials key, blob store, and its limits. */
import { baseSchema, blobSchema, encryptionSchema, withBlobRules, z } from '@postroom/config';

export const fetcherConfigSchema = withBlobRules(
  baseSchema.extend({
    ...encryptionSchema.shape,
    ...blobSchema.shape,
    HEALTH_PORT: z.coerce.number({ error: 'HEALTH_PORT must be a port number' }).int().min(0).max(65535).default(9102),
    /** Mail above this size (RFC822.SIZE) is dead-lettered with OVER_LIMIT instead of downloaded. */
    FETCHER_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1).default(50 * 1024 * 1024),
    /** A mailbox's pooled IMAP connection closes after this long unused. */
    FETCHER_IDLE_CLOSE_MS: z.coerce.number().int().min(0).default(60_000),
  }),
);

export type FetcherConfig = z.infer<typeof fetcherConfigSchema>;
