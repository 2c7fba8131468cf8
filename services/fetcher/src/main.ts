/** The fetcher process: pointer → raw RFC 5322 bytes in the blob store → MailFetched; and the mailboxes' afterFiled actions. */
import { loadConfig } from '@postroom/config';
import { createSecretBox } from '@postroom/crypto';
import { runService } from '@postroom/service';
import { fetcherConfigSchema } from './config';
import { startFetcher } from './fetcher';

await runService({
  name: 'fetcher',
  loadConfig: () => loadConfig(fetcherConfigSchema, process.env),
  database: true,
  blobs: true,
  async start({ bus, db, blobs, logger, metrics, config }) {
    const fetcher = startFetcher({
      bus, ds: db, blobs, logger, metrics, concurrency: config.STAGE_CONCURRENCY,
      secrets: createSecretBox({ key: config.ENCRYPTION_KEY, previousKeys: config.ENCRYPTION_PREVIOUS_KEYS }),
      maxMessageBytes: config.FETCHER_MAX_MESSAGE_BYTES, idleCloseMs: config.FETCHER_IDLE_CLOSE_MS,
    });
    return { ready: { consumer: () => fetcher.stage.bound(), mailboxActions: () => fetcher.actions.bound() }, stop: () => fetcher.stop() };
  },
});
