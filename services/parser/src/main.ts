/** The parser process: fetched raw mail → structured MailParsed events (style guide §2). */
import { MailFetchedSchema } from '@postroom/contracts';
import { runStageService } from '@postroom/service';
import { limitsOf, loadParserConfig } from './config';
import { createHandler } from './handler';

await runStageService({
  stage: 'parser',
  input: MailFetchedSchema,
  tenantOf: (e) => e.mail?.tenantId ?? '',
  loadConfig: () => loadParserConfig(process.env),
  blobs: true,
  handler: ({ config, blobs, bus }) => createHandler({ blobs, limits: limitsOf(config), subjects: bus.subjects }),
});
