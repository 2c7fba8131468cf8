/**
 * Shared parts of the IMAP ingress benchmarks (imap-backfill, imap-mailboxes):
 * a private Dovecot, the seven services as processes against a fresh NATS
 * namespace and database (as in production: LOG_LEVEL info, no trace
 * exporter), IMAP mailboxes added through the real repositories, and what
 * the processes cost (CPU seconds, RSS) read from /proc.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ImapFlow } from 'imapflow';
import S3rver from 's3rver';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, type Mailbox } from '@postroom/db';
import { startDovecot, startPipeline, createTestEnv, type DovecotServer, type Pipeline, type TestEnv } from '@postroom/testing';

export * from './imap-bench-proc';

export const ROOT = join(import.meta.dirname, '..');

export interface BenchWorld {
  dovecot: DovecotServer;
  env: TestEnv;
  tenantId: string;
  pipeline: Pipeline;
  logDir: string;
  addMailbox(user: string, password: string, settings: Record<string, unknown>): Promise<Mailbox>;
  /** Stops everything and removes the scratch folder; `keepLogs` first moves the service logs to the returned path. */
  stop(opts?: { keepLogs?: boolean }): Promise<string | undefined>;
}

/** Starts Dovecot, a fresh namespace and database, and the seven services; `serviceEnv` adds settings. */
export async function startBenchWorld(serviceEnv: Record<string, string> = {}, opts: { imapSessions?: number } = {}): Promise<BenchWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'postroom-imap-bench-'));
  const dovecot = await startDovecot(dir, undefined, { maxSessions: opts.imapSessions });
  const env = await createTestEnv();
  const key = randomBytes(32).toString('base64');
  const secrets = createSecretBox({ key });
  const tenantId = (await createTenant(env.ds, { name: 'Bench', slug: env.namespace })).id;
  const logDir = join(dir, 'logs');
  const pipeline = await startPipeline({
    root: ROOT,
    logDir,
    env: {
      NATS_URL: env.natsUrl, NATS_NAMESPACE: env.namespace, DATABASE_URL: env.databaseUrl, ENCRYPTION_KEY: key,
      LOG_LEVEL: 'info', ...serviceEnv,
    },
  });
  return {
    dovecot, env, tenantId, pipeline, logDir,
    addMailbox: (user, password, settings) =>
      createMailbox(env.ds, secrets, {
        tenantId, name: user, address: `${user}@bench.example`, displayName: null, provider: 'imap',
        settings: { imap: { host: dovecot.host, port: dovecot.port, secure: false, startTls: false }, ...settings },
        credentials: { imap: { user, password } },
      }),
    async stop(opts = {}) {
      await pipeline.stop();
      await env.cleanup().catch((err: unknown) => console.error(`bench cleanup incomplete (namespace ${env.namespace}):`, err));
      await dovecot.stop();
      const kept = opts.keepLogs ? `${dir}-logs` : undefined;
      if (kept) {
        renameSync(logDir, kept);
        renameSync(join(dir, 'dovecot.log'), join(kept, 'dovecot.log'));
      }
      rmSync(dir, { recursive: true, force: true });
      return kept;
    },
  };
}


const nobody = () => ({
  uid: Number(execFileSync('id', ['-u', 'nobody']).toString().trim()),
  gid: Number(execFileSync('id', ['-g', 'nobody']).toString().trim()),
});

/**
 * Delivers `count` messages straight into a Dovecot user's Maildir `new/`
 * (written in `tmp/`, then renamed, as the Maildir convention asks), the way
 * an LDA would, in a fraction of the time APPENDs take. Dovecot assigns the
 * UIDs when a session first looks at the folder.
 */
export function seedMaildir(dovecotDir: string, user: string, count: number, mail: (i: number) => string): void {
  const { uid, gid } = nobody();
  const home = join(dovecotDir, 'mail', user);
  const maildir = join(home, 'Maildir');
  for (const d of [home, maildir, join(maildir, 'cur'), join(maildir, 'new'), join(maildir, 'tmp')]) {
    mkdirSync(d, { recursive: true });
    chownSync(d, uid, gid);
  }
  const stamp = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i += 1) {
    const name = `${stamp}.M${i}P${process.pid}.bench`;
    const tmp = join(maildir, 'tmp', name);
    writeFileSync(tmp, mail(i));
    chownSync(tmp, uid, gid);
    renameSync(tmp, join(maildir, 'new', name));
  }
}

/**
 * APPENDs one message to INBOX over its own connection; resolves when the
 * server answered OK, rejects on any failure. Unlike the test helper it
 * listens for imapflow's 'error' event, so a dropped connection fails this
 * APPEND instead of the whole benchmark process.
 */
export async function appendOne(dovecot: DovecotServer, creds: { user: string; password: string }, raw: string): Promise<void> {
  const client = new ImapFlow({
    host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, logger: false, disableAutoIdle: true,
    auth: { user: creds.user, pass: creds.password },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.append('INBOX', raw);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * An S3 API server (s3rver, in this process) and the service settings that
 * point the blob store at it, to compare the embedded NATS object store with
 * S3 (architecture: S3 in production). Its CPU is counted as the bench's.
 */
export async function startS3(dir: string): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const { port } = (await server.run()) as AddressInfo;
  return {
    // s3rver's built-in account (lib/models/account.js).
    env: {
      BLOB_BACKEND: 's3', S3_ENDPOINT: '127.0.0.1', S3_PORT: String(port), S3_USE_SSL: 'false',
      S3_ACCESS_KEY: 'S3RVER', S3_SECRET_KEY: 'S3RVER', S3_BUCKET: 'postroom-bench',
    },
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
