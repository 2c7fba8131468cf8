/**
 * `postroom suppressions`, run as an operator runs it (a child process
 * configured by environment) against this test's database.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, suppressAddresses } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';

const ROOT = resolve(import.meta.dirname, '../../../..');
const run = promisify(execFile);
let env: TestEnv;
const slug = `sup-${randomUUID().slice(0, 8)}`;

const postroom = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'libs/cli/src/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NATS_URL: env.natsUrl, NATS_NAMESPACE: env.namespace, DATABASE_URL: env.databaseUrl, LOG_LEVEL: 'warn' },
  });

beforeAll(async () => {
  env = await createTestEnv();
  const tenant = await createTenant(env.ds, { name: 'Sup', slug });
  const other = await createTenant(env.ds, { name: 'Other', slug: `${slug}-other` });
  const base = { reason: 'permanent bounce 5.1.1: user unknown', statusCode: '5.1.1', bouncedMessageId: null, at: new Date(Date.now() - 86_400_000) };
  await suppressAddresses(env.ds, { ...base, tenantId: tenant.id, addresses: ['gone@customer.test'], expiresAt: new Date(Date.now() + 86_400_000) });
  await suppressAddresses(env.ds, { ...base, tenantId: tenant.id, addresses: ['old@customer.test'], expiresAt: new Date(Date.now() - 1000) });
  await suppressAddresses(env.ds, { ...base, tenantId: other.id, addresses: ['theirs@customer.test'], expiresAt: new Date(Date.now() + 86_400_000) });
});
afterAll(async () => env?.cleanup());

describe('postroom suppressions', () => {
  it('lists the tenant\'s unexpired suppressions, and expired ones with --all', async () => {
    const { stdout } = await postroom(['suppressions', 'list', '--tenant', slug]);
    expect(stdout).toMatch(/^ADDRESS\s+STATUS\s+SINCE\s+UNTIL/);
    expect(stdout).toContain('gone@customer.test  5.1.1');
    expect(stdout).not.toContain('old@customer.test');
    expect(stdout).not.toContain('theirs@customer.test');
    const all = JSON.parse((await postroom(['suppressions', 'list', '--tenant', slug, '--all', '--json'])).stdout) as Array<{ address: string }>;
    expect(all.map((r) => r.address).sort()).toEqual(['gone@customer.test', 'old@customer.test']);
  });

  it('removes an address, and says so when it is not listed', async () => {
    expect((await postroom(['suppressions', 'remove', 'Gone@Customer.test', '--tenant', slug])).stdout).toBe(
      'removed gone@customer.test from the suppression list\n',
    );
    expect((await postroom(['suppressions', 'list', '--tenant', slug])).stdout).toBe('(none)\n');
    const failure = await postroom(['suppressions', 'remove', 'gone@customer.test', '--tenant', slug]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('gone@customer.test is not on the suppression list');
  });
});
