/**
 * A private world for one test file: its own NATS namespace (streams,
 * consumers, KV and object buckets all prefixed with it) and its own migrated
 * PostgreSQL database, so test files run in parallel against the one shared
 * NATS and PostgreSQL without seeing each other. `cleanup()` removes both.
 */
import { randomBytes } from 'node:crypto';
import { connectBus, ensureTopology, type Bus } from '@postroom/bus';
import { dropDatabase, ensureDatabase, migrate, openDatabase, type DataSource } from '@postroom/db';
import { createLogger, type Logger } from '@postroom/telemetry';
import { jetstreamManager } from '@nats-io/jetstream';

export interface TestEnv {
  /** `t<12 hex>`: prefixes every stream and bucket of this env. */
  namespace: string;
  /** The env's own database, `postroom_t_<12 hex>`, migrated. */
  databaseUrl: string;
  natsUrl: string;
  /** Connected, topology (streams and stage consumers) ensured. */
  bus: Bus;
  ds: DataSource;
  /** Writes nothing. */
  logger: Logger;
  /** Deletes the namespace's streams, KV and object buckets, closes the connections and drops the database. */
  cleanup(): Promise<void>;
}

export interface TestEnvOptions {
  natsUrl?: string;
  /** PostgreSQL server URL without a database name. */
  postgresUrl?: string;
  /** Provision streams and consumers (default true). */
  topology?: boolean;
  /** The random part of the names (lowercase hex); only tests of this helper pass one. */
  id?: string;
}

const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';

/** JetStream names the backing streams of KV and object buckets `KV_<bucket>` and `OBJ_<bucket>`. */
function belongsTo(stream: string, namespace: string): boolean {
  const bucket = stream.replace(/^(KV|OBJ)_/, '');
  return stream.startsWith(namespace) || bucket.startsWith(namespace);
}

async function deleteNamespaceStreams(bus: Bus, namespace: string): Promise<void> {
  // NATS 2.9 removes a stream's files before it answers the delete: a stream
  // of tens of thousands of messages (a benchmark's) outlasts the default 5 s.
  const jsm = await jetstreamManager(bus.nc, { timeout: 120_000 });
  const doomed: string[] = [];
  for await (const name of jsm.streams.names()) {
    if (belongsTo(name, namespace)) doomed.push(name);
  }
  for (const name of doomed) await jsm.streams.delete(name);
}

async function settle(steps: Array<() => Promise<unknown>>): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) await step().catch((err: unknown) => errors.push(err));
  if (errors.length > 0) throw new AggregateError(errors, 'test env cleanup failed');
}

/** Creates the namespace and database; on any failure removes what was made and rethrows. */
export async function createTestEnv(opts: TestEnvOptions = {}): Promise<TestEnv> {
  const id = opts.id ?? randomBytes(6).toString('hex');
  if (!/^[0-9a-f]{1,32}$/.test(id)) throw new Error(`test env id "${id}" must be lowercase hex`);
  const namespace = `t${id}`;
  const natsUrl = opts.natsUrl ?? DEFAULT_NATS_URL;
  const databaseUrl = `${(opts.postgresUrl ?? DEFAULT_POSTGRES_URL).replace(/\/+$/, '')}/postroom_t_${id}`;
  const logger = createLogger({ service: `test-${namespace}`, level: 'silent' });
  const undo: Array<() => Promise<unknown>> = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = () => (cleaned ??= settle([...undo].reverse()));
  try {
    await ensureDatabase(databaseUrl);
    undo.push(() => dropDatabase(databaseUrl));
    const ds = await openDatabase(databaseUrl, { poolSize: 5, applicationName: `test-${namespace}` });
    undo.push(async () => (ds.isInitialized ? ds.destroy() : undefined));
    await migrate(ds);
    const bus = await connectBus({ url: natsUrl, namespace, name: `test-${namespace}`, logger });
    undo.push(async () => (bus.nc.isClosed() ? undefined : bus.close()));
    undo.push(() => deleteNamespaceStreams(bus, namespace));
    if (opts.topology !== false) await ensureTopology(bus);
    return { namespace, databaseUrl, natsUrl, bus, ds, logger, cleanup };
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
}
