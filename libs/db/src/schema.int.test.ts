/**
 * Architecture invariant 6, checked against the migrated catalog rather than
 * the migration text: every primary key and unique constraint leads with
 * tenant_id (the tenants table aside: its id is the tenant id).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../test/fresh-database';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.cleanup());

const TABLES = ['attachments', 'mailbox_folders', 'mailboxes', 'messages', 'suppressions', 'tenants', 'thread_keys', 'ticket_participants', 'tickets'];

interface ConstraintRow {
  table: string;
  name: string;
  type: 'p' | 'u' | 'f' | 'c';
  columns: string[];
  referenced: string | null;
}

async function constraints(): Promise<ConstraintRow[]> {
  return db.ds.query(`
    SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS type,
           array_agg(a.attname::text ORDER BY k.ord) AS columns, c.confrelid::regclass::text AS referenced
      FROM pg_constraint c
      JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public'
      CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
     WHERE c.contype IN ('p', 'u', 'f') AND c.conrelid::regclass::text <> 'migrations'
     GROUP BY c.oid, c.conrelid, c.conname, c.contype, c.confrelid
     ORDER BY 1, 2`);
}

describe('schema', () => {
  it('has every table of the data model', async () => {
    const rows: Array<{ table_name: string }> = await db.ds.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(TABLES);
  });

  it('leads every primary key and unique constraint with tenant_id', async () => {
    const keys = (await constraints()).filter((c) => c.type !== 'f' && c.table !== 'tenants');
    expect(new Set(keys.map((k) => k.table))).toEqual(new Set(TABLES.filter((t) => t !== 'tenants')));
    for (const key of keys) expect(key.columns[0], `${key.table}.${key.name}`).toBe('tenant_id');
    const tenants = (await constraints()).filter((c) => c.table === 'tenants' && c.type !== 'f');
    expect(tenants.map((c) => [c.name, c.columns])).toEqual([
      ['pk_tenants', ['id']],
      ['uq_tenants_slug', ['slug']],
    ]);
  });

  it('gives every table a tenant_id column that is not null', async () => {
    const rows: Array<{ table_name: string; is_nullable: string }> = await db.ds.query(
      `SELECT table_name, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1`,
    );
    expect(rows).toEqual(TABLES.filter((t) => t !== 'tenants').map((t) => ({ table_name: t, is_nullable: 'NO' })));
  });

  it('references tenants and mailboxes with tenant-scoped foreign keys', async () => {
    const fks = (await constraints()).filter((c) => c.type === 'f');
    const byName = Object.fromEntries(fks.map((f) => [f.name, [f.table, f.columns.join(','), f.referenced]]));
    expect(byName).toMatchObject({
      fk_mailboxes_tenant: ['mailboxes', 'tenant_id', 'tenants'],
      fk_mailbox_folders_mailbox: ['mailbox_folders', 'tenant_id,mailbox_id', 'mailboxes'],
      fk_tickets_mailbox: ['tickets', 'tenant_id,mailbox_id', 'mailboxes'],
      fk_messages_mailbox: ['messages', 'tenant_id,mailbox_id', 'mailboxes'],
      fk_messages_ticket: ['messages', 'tenant_id,ticket_id', 'tickets'],
      fk_attachments_message: ['attachments', 'tenant_id,message_id', 'messages'],
      fk_thread_keys_ticket: ['thread_keys', 'tenant_id,ticket_id', 'tickets'],
      fk_suppressions_tenant: ['suppressions', 'tenant_id', 'tenants'],
    });
    for (const fk of fks) expect(fk.columns[0], fk.name).toBe('tenant_id');
  });

  it('indexes thread lookup and ticket listing', async () => {
    const rows: Array<{ indexname: string; indexdef: string }> = await db.ds.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const defs = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef.replace(/^.* USING btree /, '')]));
    expect(defs).toMatchObject({
      pk_thread_keys: '(tenant_id, message_id_header)',
      ix_thread_keys_tenant_ticket: '(tenant_id, ticket_id)',
      ix_messages_tenant_message_id: '(tenant_id, message_id_header)',
      ix_messages_tenant_ticket_created: '(tenant_id, ticket_id, created_at)',
      ix_tickets_tenant_updated: '(tenant_id, updated_at)',
      ix_tickets_tenant_status_updated: '(tenant_id, status, updated_at)',
      pk_suppressions: '(tenant_id, address)',
      ix_suppressions_tenant_expires: '(tenant_id, expires_at)',
    });
  });

  it('rejects values outside the checked vocabularies', async () => {
    const tenant = '00000000-0000-4000-8000-000000000001';
    await db.ds.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'T', 'schema-check')`, [tenant]);
    await expect(
      db.ds.query(`INSERT INTO mailboxes (tenant_id, id, name, address, provider) VALUES ($1, gen_random_uuid(), 'x', 'x@y', 'pop3')`, [
        tenant,
      ]),
    ).rejects.toThrow(/ck_mailboxes_provider/);
  });
});
