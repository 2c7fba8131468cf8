/**
 * Issue 2 item 8: bad configuration stops a service at start with one clear
 * line naming the setting. Runs the real services' entry points as processes.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connectBus } from '@postroom/bus';
import { createLogger } from '@postroom/telemetry';
import { freePort } from '@postroom/testing';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
// The services that get as far as NATS provision their streams in this namespace.
const NAMESPACE = `startup${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  const bus = await connectBus({ url: 'nats://127.0.0.1:4222', namespace: NAMESPACE, name: 'startup-test-cleanup', logger: createLogger({ service: 'test', level: 'fatal' }) });
  for await (const name of bus.jsm.streams.names()) if (name.startsWith(`${NAMESPACE}_`)) await bus.jsm.streams.delete(name);
  await bus.close();
});

async function start(service: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'fatal', HEALTH_PORT: '0', NATS_NAMESPACE: NAMESPACE };
  const entry = join(ROOT, 'services', service, 'src/main.ts');
  return run(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env: { ...base, ...env }, timeout: 60_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  );
}

const KEY = randomBytes(32).toString('base64');

describe('a service with bad configuration', () => {
  it('names NATS_URL when NATS is unreachable', async () => {
    const { code, stderr } = await start('parser', { NATS_URL: `nats://127.0.0.1:${await freePort()}` });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^postroom parser: .*NATS_URL nats:\/\/127\.0\.0\.1:\d+/);
  });

  it('names DATABASE_URL when the database does not exist', async () => {
    const { code, stderr } = await start('ticketer', { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postroom_no_such_db' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/DATABASE_URL .*postroom_no_such_db/);
  });

  it('names ENCRYPTION_KEY when it is missing, and exits 78 (EX_CONFIG)', async () => {
    const { code, stderr } = await start('sender', {});
    expect(code).toBe(78);
    expect(stderr).toContain('ENCRYPTION_KEY: required');
  });

  it('names every invalid setting at once', async () => {
    const { code, stderr } = await start('sender', { ENCRYPTION_KEY: KEY.slice(0, 10), NATS_URL: 'http://x', LOG_LEVEL: 'loud' });
    expect(code).toBe(78);
    for (const name of ['ENCRYPTION_KEY', 'NATS_URL', 'LOG_LEVEL']) expect(stderr).toContain(`${name}:`);
  });
});
