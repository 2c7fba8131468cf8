/** The classifier's settings: the shared base, the blob store (it reads bodies), spam thresholds. */
import { baseSchema, blobSchema, loadConfig, withBlobRules, z } from '@postroom/config';
import { DEFAULT_SPAM_OPTIONS } from './rules/070-spam.rule';
import type { RuleOptions } from './rules/index';

export const classifierSchema = withBlobRules(
  baseSchema.extend({
    ...blobSchema.shape,
    HEALTH_PORT: baseSchema.shape.HEALTH_PORT.unwrap().default(9104),
    /** Upstream X-Spam-Score at or above which a mail is spam. */
    CLASSIFIER_SPAM_SCORE: z.coerce.number({ error: 'must be a number' }).default(DEFAULT_SPAM_OPTIONS.scoreThreshold),
    /** Exchange spam confidence level (0–9) at or above which a mail is spam. */
    CLASSIFIER_SPAM_SCL: z.coerce.number({ error: 'must be a number' }).int().min(0).max(9).default(DEFAULT_SPAM_OPTIONS.sclThreshold),
  }),
);

export type ClassifierConfig = z.infer<typeof classifierSchema>;

export const loadClassifierConfig = (env: NodeJS.ProcessEnv): Readonly<ClassifierConfig> => loadConfig(classifierSchema, env);

export const rulesOptionsOf = (c: ClassifierConfig): RuleOptions => ({
  spam: { scoreThreshold: c.CLASSIFIER_SPAM_SCORE, sclThreshold: c.CLASSIFIER_SPAM_SCL },
});
