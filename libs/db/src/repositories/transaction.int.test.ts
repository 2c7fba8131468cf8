import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/fresh-database';
import type { Tenant } from '../entities/tenant.entity';
import { isUniqueViolation } from './db-handle';
import { queryRows } from './messages';
import { createTenant, getTenant } from './tenants';
import { inTransaction, planEachExecution } from './transaction';

let db: FreshDatabase;
let acme: Tenant;

beforeAll(async () => {
  db = await freshDatabase();
  acme = await createTenant(db.ds, { name: 'Acme', slug: 'acme' });
});
afterAll(() => db?.cleanup());

const RENAME = `UPDATE tenants SET name = $2 WHERE id = $1 RETURNING name`;

describe('inTransaction', () => {
  it('commits when the callback resolves, answering UPDATE like EntityManager.query ([rows, rowCount])', async () => {
    const result = await inTransaction(db.ds, (q) => q.query(RENAME, [acme.id, 'Acme Ltd']));
    expect(result).toEqual([[{ name: 'Acme Ltd' }], 1]);
    expect((await getTenant(db.ds, acme.id))?.name).toBe('Acme Ltd');
  });

  it('rolls everything back when the callback throws, and the connection is usable again', async () => {
    await expect(
      inTransaction(db.ds, async (q) => {
        await q.query(RENAME, [acme.id, 'Gone']);
        throw new Error('filing failed');
      }),
    ).rejects.toThrow('filing failed');
    expect((await getTenant(db.ds, acme.id))?.name).toBe('Acme Ltd');
    const rows = await inTransaction(db.ds, (q) => queryRows<{ n: number }>(q, 'SELECT count(*)::int AS n FROM tenants'));
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('throws the driver error a unique key raises, which isUniqueViolation recognises', async () => {
    const err = await inTransaction(db.ds, (q) =>
      q.query(`INSERT INTO tenants (id, name, slug) VALUES (gen_random_uuid(), 'Other', 'acme')`),
    ).catch((e: unknown) => e);
    expect(isUniqueViolation(err, 'uq_tenants_slug')).toBe(true);
  });
});

describe('inTransaction statements', () => {
  it('runs a parameterless first statement inside the transaction it opens, answering with its own rows', async () => {
    const rows = await inTransaction(db.ds, (q) => q.query(`SELECT name FROM tenants WHERE slug = 'acme'`));
    expect(rows).toEqual([{ name: 'Acme Ltd' }]);
    await expect(
      inTransaction(db.ds, async (q) => {
        await q.query(`UPDATE tenants SET name = 'Gone' WHERE slug = 'acme'`);
        throw new Error('filing failed');
      }),
    ).rejects.toThrow('filing failed');
    expect((await getTenant(db.ds, acme.id))?.name).toBe('Acme Ltd');
  });

  it('prepares parameterised statements by name, except those marked to be planned at each execution', async () => {
    const perExecution = planEachExecution(`SELECT slug FROM tenants WHERE id = $1`);
    const seen = await inTransaction(db.ds, async (q) => {
      await q.query(`SELECT name FROM tenants WHERE id = $1`, [acme.id]);
      await q.query(perExecution, [acme.id]);
      return queryRows<{ name: string; statement: string }>(
        q,
        `SELECT name, statement FROM pg_prepared_statements WHERE statement = ANY($1) ORDER BY statement`,
        [['SELECT name FROM tenants WHERE id = $1', perExecution]],
      );
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].statement).toBe('SELECT name FROM tenants WHERE id = $1');
    expect(seen[0].name).toMatch(/^pr_[\w-]{43}$/);
  });
});

describe('statementName', () => {
  it('names a text the same way every time, and names no new text beyond the cap', async () => {
    vi.resetModules();
    const { statementName, MAX_NAMED_STATEMENTS } = await import('./transaction');
    const first = statementName('SELECT $1::int');
    expect(statementName('SELECT $1::int')).toBe(first);
    expect(statementName('SELECT $1::text')).not.toBe(first);
    for (let i = 0; i < MAX_NAMED_STATEMENTS; i++) statementName(`SELECT $1::int + ${i}`);
    expect(statementName('SELECT $1::bigint')).toBeUndefined();
    expect(statementName('SELECT $1::int')).toBe(first);
  });
});
