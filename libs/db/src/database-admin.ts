/**
 * Creating and dropping whole databases, for development and tests (each test
 * file gets a database of its own). Production databases are provisioned by
 * the operator; services only migrate them.
 */
import pg from 'pg';
import { databaseNameOf, toDatabaseError } from './database-error';

/** The same server, connected to its `postgres` maintenance database. */
function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

async function withMaintenanceClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw toDatabaseError(err, url);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE when it does not exist yet; safe to call concurrently. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  await withMaintenanceClient(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (err) {
      // 42P04 duplicate_database; 23505 when a concurrent CREATE won the race on pg_database's unique index.
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err;
    }
  });
}

/** DROP DATABASE … WITH (FORCE) (PostgreSQL 13+): also ends sessions still connected to it. */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  await withMaintenanceClient(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}
