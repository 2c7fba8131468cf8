/** The sender process: outbound requests → SMTP → sent/failed events. */
import { OutboundRequestedSchema } from '@postroom/contracts';
import { createSecretBox } from '@postroom/crypto';
import { runStageService } from '@postroom/service';
import { loadSenderConfig } from './config';
import { createHandler } from './handler';
import { createSmtpTransport } from './smtp-transport';

await runStageService({
  stage: 'sender',
  input: OutboundRequestedSchema,
  tenantOf: (e) => e.tenantId,
  loadConfig: () => loadSenderConfig(process.env),
  database: true,
  blobs: true,
  handler: ({ config, db, blobs, bus }) => {
    const secrets = createSecretBox({ key: config.ENCRYPTION_KEY, previousKeys: config.ENCRYPTION_PREVIOUS_KEYS });
    const transport = createSmtpTransport({ timeoutMs: config.SENDER_SMTP_TIMEOUT_MS, rejectUnauthorized: config.SENDER_TLS_VERIFY });
    return createHandler({ db, secrets, blobs, transport, subjects: bus.subjects });
  },
});
