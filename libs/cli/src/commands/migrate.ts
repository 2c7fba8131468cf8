/** `postroom migrate`: creates the database when missing and applies pending migrations. */
import { ensureDatabase, migrate, openDatabase } from '@postroom/db';
import { loadCliConfig } from '../context';

export async function migrateCommand(): Promise<void> {
  const { DATABASE_URL } = loadCliConfig();
  await ensureDatabase(DATABASE_URL);
  const ds = await openDatabase(DATABASE_URL);
  try {
    const applied = await migrate(ds);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await ds.destroy();
  }
}
