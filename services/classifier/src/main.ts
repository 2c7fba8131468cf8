/** The classifier process: parsed mail → verdict (spam, bounce, auto-reply, …) → MailClassified events. */
import { exitOnConfigError } from '@postroom/config';
import { MailParsedSchema } from '@postroom/contracts';
import { getClassificationSettings, type DataSource } from '@postroom/db';
import { runStageService } from '@postroom/service';
import { loadClassifierConfig, rulesOptionsOf, type ClassifierConfig } from './config';
import { createHandler } from './handler';
import type { ClassifierDeps } from './ports';
import { createRspamdClient } from './rspamd-client';
import { createRules } from './rules/index';

/** rspamd when configured, with each mailbox's spamThreshold read from its settings. */
const spamEngineOf = (config: ClassifierConfig, db: DataSource): ClassifierDeps['spamEngine'] =>
  config.CLASSIFIER_RSPAMD_URL
    ? {
        engine: createRspamdClient({ url: config.CLASSIFIER_RSPAMD_URL, timeoutMs: config.CLASSIFIER_RSPAMD_TIMEOUT_MS }),
        thresholdOf: async (tenantId, mailboxId) => (await getClassificationSettings(db, tenantId, mailboxId)).spamThreshold,
        onError: config.CLASSIFIER_RSPAMD_ON_ERROR,
      }
    : undefined;

// Read once here: only a classifier with a spam engine needs PostgreSQL (the mailboxes' thresholds).
const config = exitOnConfigError(() => loadClassifierConfig(process.env));

await runStageService({
  stage: 'classifier',
  input: MailParsedSchema,
  tenantOf: (e) => e.mail?.tenantId ?? '',
  loadConfig: () => config,
  database: config.CLASSIFIER_RSPAMD_URL !== undefined,
  blobs: true,
  handler: ({ db, blobs, bus }) =>
    createHandler({ blobs, subjects: bus.subjects, rules: createRules(rulesOptionsOf(config)), spamEngine: spamEngineOf(config, db) }),
});
