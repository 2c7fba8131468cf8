/**
 * The attachment service's settings: the shared base, the blob store, and
 * the download endpoint. The URL-signing key is ATTACHMENT_URL_KEY, or, when
 * unset, derived from ENCRYPTION_KEY (HKDF), so a newcomer's setup needs no
 * extra secret; set it explicitly to rotate URLs independently.
 */
import { baseSchema, blobSchema, loadConfig, withBlobRules, z } from '@postroom/config';
import { deriveUrlKey } from './signed-url';

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v.trim(), 'base64').length >= 32, { message: 'must be at least 32 random bytes, base64' });

export const attachmentSchema = withBlobRules(
  baseSchema.extend({
    ...blobSchema.shape,
    HEALTH_PORT: baseSchema.shape.HEALTH_PORT.unwrap().default(9107),
    ATTACHMENT_URL_KEY: base64Key.optional(),
    ENCRYPTION_KEY: base64Key.optional(),
    ATTACHMENT_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
    /** 0 picks a free port (the default, so parallel local pipelines never collide); set it in deployments. */
    ATTACHMENT_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    /** The base URL links are signed for; default http://127.0.0.1:<port>. */
    ATTACHMENT_PUBLIC_URL: z.url().optional(),
    ATTACHMENT_URL_TTL_SECONDS: z.coerce.number().int().min(1).default(900),
  }),
).refine((c) => c.ATTACHMENT_URL_KEY !== undefined || c.ENCRYPTION_KEY !== undefined, {
  path: ['ATTACHMENT_URL_KEY'],
  message: 'required (32 random bytes, base64) unless ENCRYPTION_KEY is set',
});

export type AttachmentConfig = z.infer<typeof attachmentSchema>;

export const loadAttachmentConfig = (env: NodeJS.ProcessEnv): Readonly<AttachmentConfig> => loadConfig(attachmentSchema, env);

/** The HMAC key for download links. */
export const urlKeyOf = (c: AttachmentConfig): Uint8Array =>
  c.ATTACHMENT_URL_KEY ? new Uint8Array(Buffer.from(c.ATTACHMENT_URL_KEY, 'base64')) : deriveUrlKey(c.ENCRYPTION_KEY!);
