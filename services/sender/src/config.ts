/**
 * The sender's settings: the shared base, the encryption key (it opens the
 * mailboxes' SMTP credentials), the blob store (outbound attachments) and
 * its SMTP timeouts.
 */
import { baseSchema, blobSchema, encryptionSchema, loadConfig, withBlobRules, z } from '@postroom/config';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const senderSchema = withBlobRules(
  baseSchema.extend({
    ...encryptionSchema.shape,
    ...blobSchema.shape,
    HEALTH_PORT: baseSchema.shape.HEALTH_PORT.unwrap().default(9106),
    /** Per SMTP phase (connect, greeting, socket idle); below the stage's 45 s handler deadline. */
    SENDER_SMTP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(40_000).default(30_000),
    /** Verify SMTP servers' TLS certificates; false only for self-signed test servers. */
    SENDER_TLS_VERIFY: flag.default(true),
  }),
);

export type SenderConfig = z.infer<typeof senderSchema>;

export const loadSenderConfig = (env: NodeJS.ProcessEnv): Readonly<SenderConfig> => loadConfig(senderSchema, env);
