/** The attachment process: attachment rows for new messages, and signed download links. */
import { TicketMessageAddedSchema } from '@postroom/contracts';
import { runStageService } from '@postroom/service';
import { loadAttachmentConfig, urlKeyOf } from './config';
import { startDownloadServer } from './download-server';
import { createHandler } from './handler';

await runStageService({
  stage: 'attachment',
  input: TicketMessageAddedSchema,
  tenantOf: (e) => e.ticket?.tenantId ?? '',
  mailIdOf: (e) => e.mailId || undefined,
  loadConfig: () => loadAttachmentConfig(process.env),
  database: true,
  blobs: true,
  handler: ({ db, blobs, bus }) => createHandler({ db, blobs, subjects: bus.subjects }),
  async extras({ db, blobs, bus, config, logger }) {
    const downloads = await startDownloadServer(
      { db, blobs, subjects: bus.subjects },
      { host: config.ATTACHMENT_HTTP_HOST, port: config.ATTACHMENT_HTTP_PORT, key: urlKeyOf(config) },
    );
    logger.info({ downloadPort: downloads.port }, 'attachment downloads listening');
    return [{ stop: () => downloads.close() }];
  },
});
