/**
 * The settings every service shares, plus the optional groups (encryption,
 * blob store) that some services add. A service's schema is
 * `baseSchema.extend({ ...encryptionSchema.shape, MY_KEY: … })`.
 */
import { z } from 'zod';

const port = (what: string) =>
  z.coerce.number({ error: `${what} must be a port number` }).int().min(0).max(65535);

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * The sampler names of the OTel SDK environment variable specification
 * (OTEL_TRACES_SAMPLER); `parentbased_*` follow the caller's decision, so a
 * sampled email is traced through every service and an unsampled one nowhere.
 */
export const TRACE_SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

/** NATS, PostgreSQL, logging, health endpoint, tracing, stage concurrency. */
export const baseSchema = z.object({
  NATS_URL: z.url({ protocol: /^(nats|tls|wss?)$/, error: 'must be a nats:// URL' }).default('nats://127.0.0.1:4222'),
  NATS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, "may only contain letters, digits, '_' and '-'")
    .default(''),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .default('postgres://postgres@127.0.0.1:5432/postroom'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  HEALTH_HOST: z.string().min(1).default('0.0.0.0'),
  /** 0 picks any free port (tests). Services override the default with their own port. */
  HEALTH_PORT: port('HEALTH_PORT').default(0),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  OTEL_TRACES_SAMPLER: z.enum(TRACE_SAMPLERS, { error: `must be one of ${TRACE_SAMPLERS.join(', ')}` }).default('parentbased_always_on'),
  /** The ratio of the *traceidratio samplers: 0 traces no new email, 1 every one. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number({ error: 'must be a number from 0 to 1' }).min(0).max(1).default(1),
  STAGE_CONCURRENCY: z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(1024).default(16),
});

const base64Key = z
  .string({ error: '32 random bytes, base64' })
  .refine((v) => isBase64Key(v), { message: 'must be 32 random bytes, base64 (openssl rand -base64 32)' });

function isBase64Key(value: string): boolean {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return false;
  return Buffer.from(trimmed, 'base64').length === 32;
}

/** The AES-256-GCM key for mailbox credentials, and the keys it replaced (rotation). */
export const encryptionSchema = z.object({
  ENCRYPTION_KEY: base64Key,
  ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .transform((v) => v.split(',').map((k) => k.trim()).filter((k) => k !== ''))
    .refine((keys) => keys.every(isBase64Key), { message: 'each key must be 32 random bytes, base64' })
    .optional(),
});

const S3_REQUIRED = ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_BUCKET'] as const;

const blobObject = z.object({
  BLOB_BACKEND: z.enum(['nats', 's3']).default('nats'),
  S3_ENDPOINT: z.string().min(1).optional(),
  S3_PORT: port('S3_PORT').optional(),
  S3_USE_SSL: flag.default(true),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
});

/**
 * Adds the "S3_* required when BLOB_BACKEND=s3" rules to a schema that
 * contains the blob settings. Needed after `.extend({ ...blobSchema.shape })`,
 * because a shape carries no cross-field rules. The rules run even when other
 * settings are invalid (`when`), so every problem is reported at once.
 */
export function withBlobRules<S extends z.ZodType<Record<string, unknown>>>(schema: S): S {
  let out = schema;
  for (const key of S3_REQUIRED) {
    out = out.refine((v) => (v as Record<string, unknown>)?.BLOB_BACKEND !== 's3' || !!(v as Record<string, unknown>)?.[key], {
      path: [key],
      message: 'required when BLOB_BACKEND=s3',
      when: () => true,
    }) as S;
  }
  return out;
}

/** Blob store selection: the embedded NATS object store (default) or S3. */
export const blobSchema = withBlobRules(blobObject);

export type BaseConfig = z.infer<typeof baseSchema>;
export type EncryptionConfig = z.infer<typeof encryptionSchema>;
export type BlobConfig = z.infer<typeof blobObject>;
