/**
 * The operator's commands, run as a person runs them (a child process with
 * environment configuration) against this test's database, namespace and
 * Dovecot user.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase } from '@postroom/db';
import { createImapUser, createTestEnv, type TestEnv } from '@postroom/testing';

const ROOT = resolve(import.meta.dirname, '../../../..');
const run = promisify(execFile);
const dovecot = inject('dovecot');
const KEY = randomBytes(32).toString('base64');
let env: TestEnv;
const slug = `ops-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

function postroom(args: string[], extra: Record<string, string> = {}) {
  const cliEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NATS_URL: env.natsUrl, NATS_NAMESPACE: env.namespace,
    DATABASE_URL: env.databaseUrl, ENCRYPTION_KEY: KEY, LOG_LEVEL: 'warn', ...extra,
  };
  return run(process.execPath, ['--import', 'tsx', 'libs/cli/src/main.ts', ...args], { cwd: ROOT, env: cliEnv });
}

const failure = (args: string[], extra?: Record<string, string>) => postroom(args, extra).then(() => undefined, (e: { code: number; stderr: string }) => e);

describe('postroom mailbox', () => {
  // A password that begins with a dash, as 1 in 64 random base64url ones do:
  // only the `--imap-password=<p>` form carries it (node:util parseArgs).
  const imap = createImapUser(dovecot, 'cli', `-${randomBytes(12).toString('base64url')}`);
  const address = `${imap.user}@cli.example`;

  it('adds a mailbox whose password is sealed and never listed', async () => {
    await postroom(['mailbox', 'add', '--tenant', slug, '--address', address, '--imap-host', dovecot.host, '--imap-port', String(dovecot.port),
      '--imap-insecure', '--imap-user', imap.user, `--imap-password=${imap.password}`]);
    const { stdout } = await postroom(['mailbox', 'list', '--tenant', slug, '--json']);
    const [listed] = JSON.parse(stdout) as Array<{ address: string; provider: string }>;
    expect(listed).toMatchObject({ address, provider: 'imap' });
    expect(stdout).not.toContain(imap.password);
    const [row] = await env.ds.query('SELECT credentials_encrypted AS sealed FROM mailboxes WHERE address = $1', [address]);
    expect(row.sealed).toMatch(/^v1\./);
    expect(row.sealed).not.toContain(imap.password);
  });

  it('tests the login and delivers a mail into the INBOX', async () => {
    const { stdout } = await postroom(['mailbox', 'test', address, '--tenant', slug]);
    expect(stdout).toContain(`IMAP ok: logged in as ${imap.user}`);
    await postroom(['mailbox', 'deliver', address, '--tenant', slug]);
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false });
    await client.connect();
    const status = await client.status('INBOX', { messages: true });
    await client.logout();
    expect(status && status.messages).toBe(1);
  });

  it('resumes a paused mailbox and stores a new password that logs in', async () => {
    await env.ds.query("UPDATE mailboxes SET status = 'paused', last_error = 'AUTH_FAILED' WHERE address = $1", [address]);
    expect((await postroom(['mailbox', 'resume', address, '--tenant', slug])).stdout).toContain('was paused; now connecting');
    const [row] = await env.ds.query('SELECT status, last_error FROM mailboxes WHERE address = $1', [address]);
    expect(row).toEqual({ status: 'connecting', last_error: null });

    await postroom(['mailbox', 'set-password', address, '--tenant', slug, '--password', 'wrong-now']);
    expect((await failure(['mailbox', 'test', address, '--tenant', slug]))?.code).toBe(1);
    await env.ds.query("UPDATE mailboxes SET status = 'paused' WHERE address = $1", [address]);
    const fixed = await postroom(['mailbox', 'set-password', address, '--tenant', slug, `--password=${imap.password}`]);
    expect(fixed.stdout).toContain('it was paused, now connecting');
    expect((await postroom(['mailbox', 'test', address, '--tenant', slug])).stdout).toContain('IMAP ok');
  });

  it('re-seals credentials under a new key with rotate-key, after which the old key is not needed', async () => {
    const NEW = randomBytes(32).toString('base64');
    const { stdout } = await postroom(['rotate-key'], { ENCRYPTION_KEY: NEW, ENCRYPTION_PREVIOUS_KEYS: KEY });
    expect(stdout).toMatch(/^re-sealed [1-9]\d* mailbox credential/);
    expect((await postroom(['mailbox', 'test', address, '--tenant', slug], { ENCRYPTION_KEY: NEW })).stdout).toContain('IMAP ok');
    expect((await failure(['mailbox', 'test', address, '--tenant', slug]))?.stderr).toMatch(/key/i);
  });

  it('says why when the key is missing, naming the setting', async () => {
    // ENCRYPTION_KEY_FILE set (empty) too: otherwise the CLI falls back to the key `npm start` leaves in .postroom/.
    const err = await failure(['mailbox', 'test', address, '--tenant', slug], { ENCRYPTION_KEY: '', ENCRYPTION_KEY_FILE: '' });
    expect(err?.code).toBe(78);
    expect(err?.stderr).toContain('ENCRYPTION_KEY: required');
  });
});

describe('postroom migrate, tickets and dlq', () => {
  it('migrates a new database once, then reports it up to date', async () => {
    const url = env.databaseUrl.replace(/\/[^/]+$/, `/postroom_cli_${randomUUID().slice(0, 8)}`);
    try {
      expect((await postroom(['migrate'], { DATABASE_URL: url })).stdout).toMatch(/^applied: /);
      expect((await postroom(['migrate'], { DATABASE_URL: url })).stdout).toBe('database is up to date\n');
    } finally {
      await dropDatabase(url);
    }
  });

  it('lists no tickets and no dead letters for a fresh tenant, and names an unknown tenant', async () => {
    expect((await postroom(['tickets', '--tenant', slug])).stdout).toBe('(none)\n');
    expect((await postroom(['dlq', 'list'])).stdout).toBe('(none)\n');
    expect((await failure(['tickets', '--tenant', 'nobody-here']))?.stderr).toContain('no tenant with slug "nobody-here"');
  });
});

describe('postroom classify', () => {
  it('prints a verdict per mail, with the bounce details', async () => {
    const fixtures = join(ROOT, 'libs/testing/fixtures/eml');
    const { stdout } = await postroom(['classify', join(fixtures, 'bounce-postfix.eml'), join(fixtures, 'plain-customer.eml')]);
    const [bounce, plain] = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(bounce.kind).toBe('bounce');
    expect(bounce.bounce.permanent).toBe(true);
    expect(bounce.bounce.recipients.length).toBeGreaterThan(0);
    expect(plain.kind).toBe('normal');
  });
});
