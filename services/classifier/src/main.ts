/** The classifier process: parsed mail → verdict (spam, bounce, auto-reply, …) → MailClassified events. */
import { MailParsedSchema } from '@postroom/contracts';
import { runStageService } from '@postroom/service';
import { loadClassifierConfig, rulesOptionsOf } from './config';
import { createHandler } from './handler';
import { createRules } from './rules/index';

await runStageService({
  stage: 'classifier',
  input: MailParsedSchema,
  tenantOf: (e) => e.mail?.tenantId ?? '',
  loadConfig: () => loadClassifierConfig(process.env),
  blobs: true,
  handler: ({ config, blobs, bus }) => createHandler({ blobs, subjects: bus.subjects, rules: createRules(rulesOptionsOf(config)) }),
});
