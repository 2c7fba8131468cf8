/** The classifier's settings: the shared base, the blob store (it reads bodies), spam thresholds, the optional spam engine. */
import { baseSchema, blobSchema, loadConfig, withBlobRules, z } from '@postroom/config';
import { DEFAULT_SPAM_OPTIONS } from './rules/070-spam.rule';
import type { RuleOptions } from './rules/index';

export const classifierSchema = withBlobRules(
  baseSchema.extend({
    ...blobSchema.shape,
    HEALTH_PORT: baseSchema.shape.HEALTH_PORT.unwrap().default(9104),
    /**
     * Its events are small (bodies up to 64 KiB inline, raw mail never), so
     * it holds more in flight than the stages that hold raw mail (16).
     */
    STAGE_CONCURRENCY: baseSchema.shape.STAGE_CONCURRENCY.unwrap().default(64),
    /** Upstream X-Spam-Score at or above which a mail is spam. */
    CLASSIFIER_SPAM_SCORE: z.coerce.number({ error: 'must be a number' }).default(DEFAULT_SPAM_OPTIONS.scoreThreshold),
    /** Exchange spam confidence level (0–9) at or above which a mail is spam. */
    CLASSIFIER_SPAM_SCL: z.coerce.number({ error: 'must be a number' }).int().min(0).max(9).default(DEFAULT_SPAM_OPTIONS.sclThreshold),
    /** rspamd's HTTP API (normal worker or proxy), e.g. http://rspamd:11333; unset: no spam engine. */
    CLASSIFIER_RSPAMD_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    /** Per check; below the stage's 45 s handler deadline. */
    CLASSIFIER_RSPAMD_TIMEOUT_MS: z.coerce.number().int().min(100).max(40_000).default(10_000),
    /** rspamd unreachable: `retry` the mail (the last delivery goes on without it) or `skip` it at once. */
    CLASSIFIER_RSPAMD_ON_ERROR: z.enum(['retry', 'skip']).default('retry'),
  }),
);

export type ClassifierConfig = z.infer<typeof classifierSchema>;

export const loadClassifierConfig = (env: NodeJS.ProcessEnv): Readonly<ClassifierConfig> => loadConfig(classifierSchema, env);

export const rulesOptionsOf = (c: ClassifierConfig): RuleOptions => ({
  spam: { scoreThreshold: c.CLASSIFIER_SPAM_SCORE, sclThreshold: c.CLASSIFIER_SPAM_SCL },
});
