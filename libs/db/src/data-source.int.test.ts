import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, SERVER_URL, uniqueDatabaseUrl } from '../test/fresh-database';
import { createDataSource, hasPendingMigrations, migrate, openDatabase } from './data-source';
import { dropDatabase, ensureDatabase } from './database-admin';
import { DatabaseError, maskDatabaseUrl } from './database-error';
import { migrations } from './migrations';

const ALL = migrations.map((m) => m.name);

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

describe('openDatabase', () => {
  it('fails fast naming DATABASE_URL, with the password masked, when nothing listens', async () => {
    const url = 'postgres://app:s3cr3t-pw@127.0.0.1:1/postroom';
    const err = await openDatabase(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).code).toBe('DB_UNREACHABLE');
    expect((err as Error).message).toBe('DATABASE_URL postgres://app:***@127.0.0.1:1/postroom: connection refused');
    expect((err as Error).message).not.toContain('s3cr3t-pw');
  });

  it('reports a refused connection when the host name resolves to several addresses', async () => {
    const err = await openDatabase('postgres://postgres@localhost:1/postroom').catch((e: unknown) => e);
    expect((err as Error).message).toBe('DATABASE_URL postgres://postgres@localhost:1/postroom: connection refused');
  });

  it('says which database is missing', async () => {
    const url = uniqueDatabaseUrl();
    const name = new URL(url).pathname.slice(1);
    const err = await openDatabase(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).code).toBe('DB_MISSING');
    expect((err as Error).message).toBe(`DATABASE_URL ${url}: database "${name}" does not exist`);
  });

  it('masks only the password', () => {
    expect(maskDatabaseUrl('postgres://u:p%40ss@h:5432/db?sslmode=require')).toBe('postgres://u:***@h:5432/db?sslmode=require');
    expect(maskDatabaseUrl('not a url with password=x')).toBe('(unparseable URL)');
  });
});

describe('ensureDatabase / dropDatabase', () => {
  it('creates once, tolerates repeats and concurrent calls, and drops', async () => {
    const url = uniqueDatabaseUrl();
    const name = new URL(url).pathname.slice(1);
    cleanups.push(() => dropDatabase(url));
    await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
    await ensureDatabase(url);
    expect(await databaseExists(name)).toBe(true);
    const ds = await openDatabase(url);
    await dropDatabase(url); // WITH (FORCE): the open pool does not block it
    await ds.destroy().catch(() => undefined);
    expect(await databaseExists(name)).toBe(false);
    await dropDatabase(url);
  });
});

describe('migrate', () => {
  it('applies every migration once, oldest first, and then nothing', async () => {
    const db = await freshDatabase({ migrated: false });
    cleanups.push(db.cleanup);
    expect(ALL[0]).toBe('InitialSchema1795430919609');
    expect(await hasPendingMigrations(db.ds)).toBe(true);
    expect(await migrate(db.ds)).toEqual(ALL);
    expect(await hasPendingMigrations(db.ds)).toBe(false);
    expect(await migrate(db.ds)).toEqual([]);
  });

  it('serialises services migrating the same database at once', async () => {
    const db = await freshDatabase({ migrated: false });
    cleanups.push(db.cleanup);
    const others = await Promise.all([openDatabase(db.url), openDatabase(db.url)]);
    try {
      const results = await Promise.all([migrate(db.ds), ...others.map(migrate)]);
      expect(results.flat()).toEqual(ALL);
    } finally {
      await Promise.all(others.map((ds) => ds.destroy()));
    }
  });

  it('leaves the entity schemas and the migrated tables in agreement', async () => {
    const db = await freshDatabase();
    cleanups.push(db.cleanup);
    const sql = await db.ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('never synchronizes', () => {
    expect(createDataSource(`${SERVER_URL}/x`).options.synchronize).toBe(false);
  });
});
