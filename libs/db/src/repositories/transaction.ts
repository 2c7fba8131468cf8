/**
 * One transaction on a pooled connection of the DataSource's pg pool, without
 * TypeORM's query runner. The ticketer runs one per email, and the runner's
 * per-statement work (logger and subscriber broadcasts, result wrapping,
 * awaited hooks) cost it more CPU than building the SQL did. The Queryable it
 * hands out answers like EntityManager.query (rows; [rows, rowCount] for
 * UPDATE and DELETE), so repository functions run unchanged on either, and a
 * failed statement throws pg's DatabaseError (`code`, `constraint`), which
 * isUniqueViolation reads as it reads TypeORM's QueryFailedError.
 *
 * Statements with parameters run as named prepared statements: node-pg
 * parses a named statement once per connection and then only binds and
 * executes it, and after five executions PostgreSQL reuses a generic plan,
 * so the server skips parsing and planning too (measured on the filing
 * INSERT: 0.28 ms of planning per email down to 0.006 ms). That is right for
 * statements whose plan does not depend on their values. A statement whose
 * does is marked with planEachExecution and runs unnamed, which PostgreSQL
 * plans for its actual values at every Bind: the filing lookup's generic
 * plan, made while the tables were young and without statistics, scanned
 * every message of the tenant (3.4 ms at 20,000 messages instead of 0.1 ms)
 * until an autoanalyze invalidated it.
 * Parameterless SQL keeps the simple query protocol, which also accepts
 * several statements in one string.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Pool, PoolClient, QueryResult } from 'pg';
import type { Queryable } from './messages';

/**
 * How many distinct SQL texts get a name. Both node-pg and the server keep
 * every named statement for the connection's lifetime, so SQL built per call
 * must not name a new statement each time; texts beyond the cap run unnamed.
 */
export const MAX_NAMED_STATEMENTS = 200;

const statementNames = new Map<string, string>();
const plannedPerExecution = new Set<string>();

/** SQL whose good plan depends on its values: it runs unnamed, which PostgreSQL plans afresh at every Bind. */
export function planEachExecution(sql: string): string {
  plannedPerExecution.add(sql);
  return sql;
}

/** A stable name for `sql` (a digest of the text, within NAMEDATALEN 63), or undefined once the cap is reached. */
export function statementName(sql: string): string | undefined {
  if (plannedPerExecution.has(sql)) return undefined;
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `pr_${createHash('sha256').update(sql).digest('base64url')}`;
    statementNames.set(sql, name);
  }
  return name;
}

const BEGIN = 'BEGIN';

/**
 * BEGIN is sent with the first statement: in one simple-protocol round trip
 * ("BEGIN;...;<sql>") when that statement has no parameters (lockKeys, the
 * ticketer's first statement), else just before it. A callback that runs no
 * statement opens no transaction.
 */
class LazyTransaction {
  begun = false;

  constructor(private readonly client: PoolClient) {}

  async query(sql: string, params?: unknown[]): Promise<QueryResult> {
    if (!this.begun && !params?.length) {
      this.begun = true;
      // Several statements in one Query message answer with one result each; the caller's is the last.
      const results = (await this.client.query(`${BEGIN}; ${sql}`)) as unknown as QueryResult[];
      return results[results.length - 1];
    }
    if (!this.begun) {
      this.begun = true;
      await this.client.query(BEGIN);
    }
    const name = params?.length ? statementName(sql) : undefined;
    return name ? this.client.query({ name, text: sql, values: params }) : this.client.query(sql, params);
  }
}

function queryableOf(tx: LazyTransaction): Queryable {
  return {
    async query(sql: string, params?: unknown[]) {
      const result = await tx.query(sql, params);
      return result.command === 'UPDATE' || result.command === 'DELETE' ? [result.rows, result.rowCount] : result.rows;
    },
  } as Queryable;
}

/** Runs `fn` in a READ COMMITTED transaction: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(ds: DataSource, fn: (q: Queryable) => Promise<T>): Promise<T> {
  const pool = (ds.driver as unknown as { master?: Pool }).master;
  if (!pool) return ds.transaction((tx) => fn(tx));
  const client = await pool.connect();
  const tx = new LazyTransaction(client);
  // A connection whose ROLLBACK failed is in an unknown state: the pool destroys it instead of reusing it.
  let broken: Error | undefined;
  try {
    const result = await fn(queryableOf(tx));
    if (tx.begun) await client.query('COMMIT');
    return result;
  } catch (err) {
    // begun is set before BEGIN is sent, so a BEGIN that may have reached the server is rolled back too.
    if (tx.begun) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
    }
    throw err;
  } finally {
    client.release(broken);
  }
}
