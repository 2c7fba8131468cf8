import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createNatsBlobStore } from '@postroom/blob';
import { openLeaseStore } from '@postroom/bus';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './test-env';

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

async function streamNames(env: TestEnv): Promise<string[]> {
  const names: string[] = [];
  for await (const name of env.bus.jsm.streams.names()) names.push(name);
  return names;
}

const bystander = await createTestEnv();
afterAll(() => bystander.cleanup());

describe('createTestEnv', () => {
  it('gives each env its own namespace, migrated database and provisioned streams', async () => {
    const env = await createTestEnv();
    try {
      expect(env.namespace).toMatch(/^t[0-9a-f]{12}$/);
      expect(env.namespace).not.toBe(bystander.namespace);
      expect(env.databaseUrl).toBe(`postgres://postgres@127.0.0.1:5432/postroom_t_${env.namespace.slice(1)}`);
      expect(env.bus.namespace).toBe(env.namespace);
      expect(await env.ds.query('SELECT count(*)::int AS n FROM tenants')).toEqual([{ n: 0 }]);
      const streams = await streamNames(env);
      for (const name of ['MAIL', 'TICKET', 'OUTBOUND', 'MAILBOX', 'ATTACHMENT', 'WORK', 'DLQ']) {
        expect(streams).toContain(`${env.namespace}_${name}`);
      }
      expect(env.logger.isLevelEnabled('fatal')).toBe(false);
    } finally {
      await env.cleanup();
    }
  });

  it('cleans up its streams, KV and object buckets and database, and nothing else', async () => {
    const env = await createTestEnv();
    const blobs = await createNatsBlobStore(env.bus);
    await blobs.put('acme/body/m1', new Uint8Array([1]));
    await openLeaseStore(env.bus, { ttlMs: 10_000, owner: 'test' });
    const mine = (await streamNames(env)).filter((n) => n.includes(env.namespace));
    expect(mine).toEqual(expect.arrayContaining([`${env.namespace}_blobs`, `KV_${env.namespace}_leases`, `${env.namespace}_MAIL`]));

    await env.cleanup();
    await env.cleanup();

    const after = await streamNames(bystander);
    expect(after.filter((n) => n.includes(env.namespace))).toEqual([]);
    expect(after).toContain(`${bystander.namespace}_MAIL`);
    expect(await databaseExists(`postroom_t_${env.namespace.slice(1)}`)).toBe(false);
    expect(await databaseExists(`postroom_t_${bystander.namespace.slice(1)}`)).toBe(true);
    expect(env.bus.nc.isClosed()).toBe(true);
  });

  it('removes what it made when it cannot finish', async () => {
    const id = randomBytes(6).toString('hex');
    const err = await createTestEnv({ id, natsUrl: 'nats://127.0.0.1:1' }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('NATS_UNREACHABLE');
    expect(await databaseExists(`postroom_t_${id}`)).toBe(false);
  });
});
