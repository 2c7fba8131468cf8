/** The ticketer process: classified mail → tickets and messages in PostgreSQL → ticket events; the agent-reply command. */
import { MailClassifiedSchema } from '@postroom/contracts';
import { runStageService } from '@postroom/service';
import { loadTicketerConfig, policyOf } from './config';
import { createHandler } from './handler';
import { startReplyCommand } from './reply-command';

await runStageService({
  stage: 'ticketer',
  input: MailClassifiedSchema,
  tenantOf: (e) => e.parsed?.mail?.tenantId ?? '',
  mailIdOf: (e) => e.parsed?.mail?.mailId,
  loadConfig: () => loadTicketerConfig(process.env),
  database: true,
  blobs: true,
  handler: ({ config, db, blobs, bus }) => createHandler({ db, blobs, subjects: bus.subjects, policy: policyOf(config) }),
  extras: async ({ config, db, bus, logger }) => [startReplyCommand({ bus, ds: db, logger, tagFormat: config.TICKETER_TICKET_TAG })],
});
