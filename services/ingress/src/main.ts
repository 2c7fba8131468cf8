/** The ingress process: watches IMAP mailboxes and publishes a pointer per new email. */
import { loadConfig } from '@postroom/config';
import { createSecretBox } from '@postroom/crypto';
import { runService } from '@postroom/service';
import { ingressConfigSchema, ingressOptions } from './config';
import { startIngress } from './ingress';
import { createLeaseOwnership } from './lease-ownership';

await runService({
  name: 'ingress',
  loadConfig: () => loadConfig(ingressConfigSchema, process.env),
  database: true,
  async start({ bus, db, logger, config }) {
    const secrets = createSecretBox({ key: config.ENCRYPTION_KEY, previousKeys: config.ENCRYPTION_PREVIOUS_KEYS });
    const ownership = await createLeaseOwnership({ bus, ttlMs: config.INGRESS_LEASE_TTL_MS, owner: config.INGRESS_REPLICA_ID, logger });
    const supervisor = startIngress({ bus, ds: db, secrets, logger, ownership, options: ingressOptions(config) });
    return {
      ready: { supervisor: () => supervisor.running() },
      async stop() {
        await supervisor.stop();
        await ownership.close();
      },
    };
  },
});
