/**
 * What CLI commands share: configuration, and opening the database, the bus
 * and the secret box on demand (a command opens only what it needs and closes
 * it when done).
 */
import { existsSync } from 'node:fs';
import { baseSchema, encryptionSchema, blobSchema, loadConfig } from '@postroom/config';
import { openDatabase } from '@postroom/db';
import { connectBus, ensureTopology, type Bus } from '@postroom/bus';
import { createSecretBox, type SecretBox } from '@postroom/crypto';
import { createLogger } from '@postroom/telemetry';
import type { DataSource } from 'typeorm';

const cliSchema = baseSchema.extend(blobSchema.shape);

export type CliConfig = ReturnType<typeof loadCliConfig>;

export function loadCliConfig() {
  return loadConfig(cliSchema, process.env);
}

/** The key `npm start` made for the local pipeline, used when no key is configured. */
const LOCAL_KEY_FILE = '.postroom/encryption.key';

export function loadSecretBox(): SecretBox {
  // A configured ENCRYPTION_KEY or ENCRYPTION_KEY_FILE overrides this default.
  const { ENCRYPTION_KEY, ENCRYPTION_PREVIOUS_KEYS } = loadConfig(
    encryptionSchema,
    existsSync(LOCAL_KEY_FILE) ? { ENCRYPTION_KEY_FILE: LOCAL_KEY_FILE, ...process.env } : process.env,
  );
  return createSecretBox({ key: ENCRYPTION_KEY, previousKeys: ENCRYPTION_PREVIOUS_KEYS });
}

/** Runs `use` with an open database, closing it afterwards. */
export async function withDatabase<T>(use: (ds: DataSource, config: CliConfig) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  const ds = await openDatabase(config.DATABASE_URL);
  try {
    return await use(ds, config);
  } finally {
    await ds.destroy();
  }
}

/** Runs `use` with a connected bus (topology ensured), closing it afterwards. */
export async function withBus<T>(use: (bus: Bus, config: CliConfig) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  const logger = createLogger({ service: 'cli', level: 'warn' });
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'postroom-cli', logger });
  try {
    await ensureTopology(bus, { logger });
    return await use(bus, config);
  } finally {
    await bus.close();
  }
}
