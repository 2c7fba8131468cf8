/**
 * A database of its own for one test file: created, migrated, and dropped
 * afterwards. (libs/testing's createTestEnv does this plus NATS; it depends
 * on this lib, so this lib's own tests use this smaller helper.)
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { migrate, openDatabase } from '../src/data-source';
import { dropDatabase, ensureDatabase } from '../src/database-admin';

export const SERVER_URL = 'postgres://postgres@127.0.0.1:5432';

export const uniqueDatabaseUrl = () => `${SERVER_URL}/postroom_t_${randomBytes(6).toString('hex')}`;

export interface FreshDatabase {
  url: string;
  ds: DataSource;
  cleanup(): Promise<void>;
}

export async function freshDatabase(opts: { migrated?: boolean } = {}): Promise<FreshDatabase> {
  const url = uniqueDatabaseUrl();
  await ensureDatabase(url);
  const ds = await openDatabase(url);
  if (opts.migrated !== false) await migrate(ds);
  return {
    url,
    ds,
    cleanup: async () => {
      if (ds.isInitialized) await ds.destroy();
      await dropDatabase(url);
    },
  };
}
