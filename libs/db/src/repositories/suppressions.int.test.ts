import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/fresh-database';
import type { Tenant } from '../entities/tenant.entity';
import { isHardBounced } from './outbound-policy';
import { findActiveSuppressions, listSuppressions, removeSuppression, suppressAddresses } from './suppressions';
import { createTenant } from './tenants';

let db: FreshDatabase;
let acme: Tenant;
let globex: Tenant;

beforeAll(async () => {
  db = await freshDatabase();
  acme = await createTenant(db.ds, { name: 'Acme', slug: 'acme' });
  globex = await createTenant(db.ds, { name: 'Globex', slug: 'globex' });
});
afterAll(() => db?.cleanup());

const DAY = 86_400_000;
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

describe('suppressions', () => {
  it('suppresses lower-cased addresses until they expire, per tenant', async () => {
    const rows = await suppressAddresses(db.ds, {
      tenantId: acme.id, addresses: ['Gone@Example.test', 'gone@example.test', 'not-an-address'], reason: '5.1.1 user unknown',
      statusCode: '5.1.1', bouncedMessageId: null, at: t0, expiresAt: at(30),
    });
    expect(rows.map((r) => [r.address, r.statusCode])).toEqual([['gone@example.test', '5.1.1']]);
    expect(await findActiveSuppressions(db.ds, acme.id, ['GONE@example.test', 'alive@example.test'], at(29))).toHaveLength(1);
    expect(await findActiveSuppressions(db.ds, acme.id, ['gone@example.test'], at(30))).toEqual([]);
    expect(await findActiveSuppressions(db.ds, globex.id, ['gone@example.test'], at(1))).toEqual([]);
    expect(await isHardBounced(db.ds, acme.id, 'Gone@example.test', at(1))).toBe(true);
    expect(await isHardBounced(db.ds, globex.id, 'gone@example.test', at(1))).toBe(false);
  });

  it('keeps the later expiry on a repeated bounce and starts over after expiry', async () => {
    const base = { tenantId: acme.id, addresses: ['twice@example.test'], statusCode: '5.1.1', bouncedMessageId: null };
    await suppressAddresses(db.ds, { ...base, reason: 'first', at: t0, expiresAt: at(30) });
    const [again] = await suppressAddresses(db.ds, { ...base, reason: 'second', at: at(1), expiresAt: at(10) });
    expect(again).toMatchObject({ reason: 'second', createdAt: t0, expiresAt: at(30) });
    const [fresh] = await suppressAddresses(db.ds, { ...base, reason: 'third', at: at(40), expiresAt: at(70) });
    expect(fresh).toMatchObject({ reason: 'third', createdAt: at(40), expiresAt: at(70) });
  });

  it('lists active rows (all with includeExpired) and removes one', async () => {
    const active = await listSuppressions(db.ds, acme.id, { at: at(35) });
    expect(active.map((r) => r.address)).toEqual(['twice@example.test']);
    const all = await listSuppressions(db.ds, acme.id, { at: at(35), includeExpired: true });
    expect(all.map((r) => r.address).sort()).toEqual(['gone@example.test', 'twice@example.test']);
    expect(await removeSuppression(db.ds, acme.id, 'Twice@Example.test')).toBe(true);
    expect(await removeSuppression(db.ds, acme.id, 'twice@example.test')).toBe(false);
    expect(await listSuppressions(db.ds, acme.id, { at: at(35) })).toEqual([]);
  });
});
