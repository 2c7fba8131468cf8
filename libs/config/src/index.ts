/** Validated, typed, frozen configuration from the environment; the only reader of process.env. */
export { baseSchema, encryptionSchema, blobSchema, withBlobRules, TRACE_SAMPLERS } from './base-schema';
export type { BaseConfig, EncryptionConfig, BlobConfig, TraceSampler } from './base-schema';
export { loadConfig } from './load-config';
export { ConfigError, exitOnConfigError, EX_CONFIG } from './config-error';
export { resolveFileSettings } from './read-env-value';
export { z } from 'zod';
