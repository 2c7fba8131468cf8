/**
 * One transaction on a pooled connection of the DataSource's pg pool, without
 * TypeORM's query runner. The ticketer runs one per email, and the runner's
 * per-statement work (logger and subscriber broadcasts, result wrapping,
 * awaited hooks) cost it more CPU than building the SQL did. The Queryable it
 * hands out answers like EntityManager.query (rows; [rows, rowCount] for
 * UPDATE and DELETE), so repository functions run unchanged on either, and a
 * failed statement throws pg's DatabaseError (`code`, `constraint`), which
 * isUniqueViolation reads as it reads TypeORM's QueryFailedError.
 */
import type { DataSource } from 'typeorm';
import type { Pool, PoolClient } from 'pg';
import type { Queryable } from './messages';

function queryableOf(client: PoolClient): Queryable {
  return {
    async query(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params);
      return result.command === 'UPDATE' || result.command === 'DELETE' ? [result.rows, result.rowCount] : result.rows;
    },
  } as Queryable;
}

/** Runs `fn` in a READ COMMITTED transaction: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(ds: DataSource, fn: (q: Queryable) => Promise<T>): Promise<T> {
  const pool = (ds.driver as unknown as { master?: Pool }).master;
  if (!pool) return ds.transaction((tx) => fn(tx));
  const client = await pool.connect();
  // A connection whose ROLLBACK failed is in an unknown state: the pool destroys it instead of reusing it.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(queryableOf(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
