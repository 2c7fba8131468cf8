/**
 * The TypeORM DataSource for PostgreSQL: entity schemas and migrations from
 * this lib, never `synchronize` (the schema changes only by migration).
 */
import { DataSource } from 'typeorm';
import { toDatabaseError } from './database-error';
import { entities } from './entities';
import { migrations } from './migrations';

export interface DataSourceOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Shown in pg_stat_activity; the service name. */
  applicationName?: string;
}

const CONNECT_TIMEOUT_MS = 5_000;
/** Arbitrary constant naming Postroom's migration lock (pg_advisory_lock takes a bigint). */
const MIGRATION_LOCK_ID = 7_264_010_318_554_001n;

/** A DataSource for `url`, not yet connected. */
export function createDataSource(url: string, opts: DataSourceOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: opts.poolSize ?? 10,
    applicationName: opts.applicationName ?? 'postroom',
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
  });
}

/**
 * Connects, or fails fast with a DatabaseError such as
 * `DATABASE_URL postgres://app:***@db:5432/postroom: connection refused`.
 */
export async function openDatabase(url: string, opts?: DataSourceOptions): Promise<DataSource> {
  let ds: DataSource;
  try {
    ds = createDataSource(url, opts);
  } catch (err) {
    throw toDatabaseError(err, url);
  }
  try {
    return await ds.initialize();
  } catch (err) {
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    throw toDatabaseError(err, url);
  }
}

/**
 * Runs pending migrations in one transaction and returns their names. An
 * advisory lock, held on a connection of its own, serialises services that
 * start together: the second waits, then finds nothing pending.
 */
export async function migrate(ds: DataSource): Promise<string[]> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID.toString()]);
    const done = await ds.runMigrations({ transaction: 'all' });
    return done.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID.toString()]).catch(() => undefined);
    await lock.release();
  }
}

/** True when some migration has not been applied yet (for readiness checks and the CLI). */
export async function hasPendingMigrations(ds: DataSource): Promise<boolean> {
  return ds.showMigrations();
}
