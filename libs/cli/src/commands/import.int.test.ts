import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { writeMbox } from '../import/fixtures/archives';

const ROOT = resolve(import.meta.dirname, '../../../..');
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'postroom-import-cli-'));
let env: TestEnv;
let slug: string;

beforeAll(async () => {
  env = await createTestEnv();
  slug = `acme-${randomUUID().slice(0, 8)}`;
  const tenant = await createTenant(env.ds, { name: 'Acme', slug });
  const box = createSecretBox({ key: randomBytes(32).toString('base64') });
  await createMailbox(env.ds, box, { tenantId: tenant.id, name: 'Support', address: 'support@acme.test', provider: 'imap', settings: {} });
  writeMbox(join(scratch, 'backlog.mbox'));
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await env?.cleanup();
});

/** Runs `postroom import …` as a user would, against this test's namespace and database. */
function postroom(...args: string[]) {
  // Only what the CLI needs: libs/config reads every `<KEY>_FILE` variable it is given.
  const cliEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME,
    NATS_URL: env.natsUrl, NATS_NAMESPACE: env.namespace, DATABASE_URL: env.databaseUrl, BLOB_BACKEND: 'nats', LOG_LEVEL: 'warn',
  };
  return run(process.execPath, ['--import', 'tsx', 'libs/cli/src/main.ts', 'import', ...args], { cwd: ROOT, env: cliEnv });
}

describe('postroom import', () => {
  it('imports an mbox into a mailbox named by address and prints the summary', async () => {
    const { stdout } = await postroom(join(scratch, 'backlog.mbox'), '--mailbox', 'Support@acme.test', '--tenant', slug);
    expect(stdout).toContain('(mbox) into Support@acme.test: 3 read, 3 imported, 0 duplicates skipped, 0 failed');
    const { state } = await env.bus.jsm.streams.info(env.bus.subjects.stream('MAIL'));
    expect(state.messages).toBe(3);
  });

  it('exits non-zero naming the mailbox when the tenant has no such mailbox', async () => {
    const failed = await postroom(join(scratch, 'backlog.mbox'), '--mailbox', 'nobody@acme.test', '--tenant', slug).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('no mailbox nobody@acme.test in this tenant') });
  });
});
