/**
 * Two ingress processes (the real main.ts) share one mailbox through the
 * lease in NATS KV: exactly one holds it; kill -9 the holder and the other
 * takes over within the TTL, losing and duplicating nothing. The survivor
 * then stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLeaseStore, type LeaseStore } from '@postroom/bus';
import { appendMail, createImapUser, sampleMail, waitFor } from '@postroom/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addImapMailbox, createIngressTestEnv, cursorOf, imapProcessesOf, pointerKeys, readPointers, statusOf, type IngressTestEnv } from './harness';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TTL_MS = 3_000;
const dovecot = inject('dovecot');
let env: IngressTestEnv;
let leases: LeaseStore;
const procs = new Map<string, ChildProcess>();

function spawnIngress(replica: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/ingress/src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NATS_NAMESPACE: env.namespace,
      DATABASE_URL: env.databaseUrl,
      ENCRYPTION_KEY: env.encryptionKey,
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'warn',
      INGRESS_REPLICA_ID: replica,
      INGRESS_LEASE_TTL_MS: String(TTL_MS),
      INGRESS_REFRESH_MS: '300',
      INGRESS_RECONCILE_MS: '2000',
      INGRESS_BACKOFF_BASE_MS: '100',
    },
  });
  procs.set(replica, child);
  return child;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

beforeAll(async () => {
  env = await createIngressTestEnv();
  leases = await openLeaseStore(env.bus, { ttlMs: TTL_MS, owner: 'observer' });
});

afterAll(async () => {
  for (const child of procs.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all([...procs.values()].map(exited));
  await env.cleanup();
});

describe('ingress replicas', () => {
  it('moves a mailbox to the surviving replica after kill -9, without losing or duplicating mail', async () => {
    const creds = createImapUser(dovecot, 'failover');
    const mailbox = await addImapMailbox(env, dovecot, creds);
    spawnIngress('a');
    spawnIngress('b');
    const key = `mailbox/${env.tenantId}/${mailbox.id}`;
    const holder = await waitFor('a lease holder', () => leases.holder(key), 60_000);
    await waitFor('live', async () => (await statusOf(env, mailbox.id)).status === 'live', 60_000);
    const a = await appendMail(dovecot, creds, sampleMail());
    await waitFor('pointer a', async () => (await cursorOf(env, mailbox.id))?.lastUid === a.uid);
    // One folder, one owner: a single IMAP session for the user, not one per replica.
    expect(imapProcessesOf(creds.user)).toHaveLength(1);

    procs.get(holder)!.kill('SIGKILL');
    await exited(procs.get(holder)!);
    const b = await appendMail(dovecot, creds, sampleMail());
    const survivor = holder === 'a' ? 'b' : 'a';
    await waitFor('the survivor holds the mailbox', async () => (await leases.holder(key)) === survivor, 60_000);
    await waitFor('pointer b', async () => (await cursorOf(env, mailbox.id))?.lastUid === b.uid, 60_000);
    expect(pointerKeys(await readPointers(env, mailbox.id))).toEqual([a, b].map((m) => `INBOX:${m.uidValidity}:${m.uid}`));

    procs.get(survivor)!.kill('SIGTERM');
    expect(await exited(procs.get(survivor)!)).toBe(0);
  });
});
