/**
 * Test fixtures for the ingress: a tenant, IMAP mailboxes pointing at the
 * shared Dovecot, fast watcher settings, and readers for what ingress
 * published (pointers, status events) and stored (cursors, status).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fromBinary, MailboxStatusChangedSchema, MailFetchedSchema, MailPointerSchema, type MailboxStatusChanged, type MailFetched, type MailPointer } from '@postroom/contracts';
import { createSecretBox, type SecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, getFolderCursor, getMailbox, type Mailbox } from '@postroom/db';
import { createLogger, type Logger } from '@postroom/telemetry';
import { createTestEnv, type DovecotAddress, type ImapCredentials, type TestEnv } from '@postroom/testing';
import type { IngressOptions } from '../src/ingress';

export interface IngressTestEnv extends TestEnv {
  secrets: SecretBox;
  tenantId: string;
  encryptionKey: string;
}

export async function createIngressTestEnv(): Promise<IngressTestEnv> {
  const env = await createTestEnv();
  const encryptionKey = randomBytes(32).toString('base64');
  const tenant = await createTenant(env.ds, { name: 'Acme', slug: `acme-${env.namespace}` });
  return { ...env, secrets: createSecretBox({ key: encryptionKey }), tenantId: tenant.id, encryptionKey };
}

/** Watcher settings fast enough for tests; nothing here is asserted as a timing. */
export const FAST: IngressOptions = {
  refreshMs: 200,
  maxIdleTimeMs: 60_000,
  socketTimeoutMs: 60_000,
  watcher: {
    pauseAfterAuthFailures: 3,
    authRetryMs: 200,
    backoff: { baseMs: 100, maxMs: 1_000, stableMs: 5_000 },
    reconcileMs: 1_000,
    batchSize: 64,
  },
};

export async function addImapMailbox(
  env: IngressTestEnv,
  dovecot: DovecotAddress,
  creds: ImapCredentials,
  settings: Record<string, unknown> = {},
): Promise<Mailbox> {
  const { imap, ...rest } = settings as { imap?: Record<string, unknown> };
  return createMailbox(env.ds, env.secrets, {
    tenantId: env.tenantId,
    name: creds.user,
    address: `${creds.user}@example.com`,
    provider: 'imap',
    settings: {
      imap: { host: dovecot.host, port: dovecot.port, secure: false, ...imap },
      backfill: { mode: 'none' },
      ...rest,
    } as never,
    credentials: { imap: { user: creds.user, password: creds.password } },
  });
}

async function streamMessages(env: TestEnv, subject: string): Promise<Uint8Array[]> {
  const stream = env.bus.subjects.stream(subject.includes('mailbox.v1') ? 'MAILBOX' : 'MAIL');
  const info = await env.bus.jsm.streams.info(stream);
  const out: Uint8Array[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
    const m = await env.bus.jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (m && m.subject === subject) out.push(m.data);
  }
  return out;
}

/** Every IMAP pointer in the MAIL stream, oldest first. */
export async function readPointers(env: TestEnv, mailboxId?: string): Promise<MailPointer[]> {
  const all = (await streamMessages(env, env.bus.subjects.mailPointer('imap'))).map((d) => fromBinary(MailPointerSchema, d));
  return mailboxId ? all.filter((p) => p.mail?.mailboxId === mailboxId) : all;
}

/** Every MailFetched in the MAIL stream, oldest first. */
export async function readFetched(env: TestEnv, mailboxId: string): Promise<MailFetched[]> {
  const all = (await streamMessages(env, env.bus.subjects.mailFetched)).map((d) => fromBinary(MailFetchedSchema, d));
  return all.filter((e) => e.mail?.mailboxId === mailboxId);
}

export async function readStatusEvents(env: TestEnv, mailboxId: string): Promise<MailboxStatusChanged[]> {
  const all = (await streamMessages(env, env.bus.subjects.mailboxStatusChanged)).map((d) => fromBinary(MailboxStatusChangedSchema, d));
  return all.filter((e) => e.mailboxId === mailboxId);
}

export const cursorOf = (env: IngressTestEnv, mailboxId: string, folder = 'INBOX') =>
  getFolderCursor(env.ds, env.tenantId, mailboxId, folder);

export const statusOf = async (env: IngressTestEnv, mailboxId: string) => (await getMailbox(env.ds, env.tenantId, mailboxId))!;

/** "folder:uidValidity:uid" of each pointer, to compare sets. */
export const pointerKeys = (pointers: MailPointer[]) =>
  pointers.map((p) => `${p.mail!.source!.folder}:${p.mail!.source!.uidValidity}:${p.mail!.source!.uid}`);

/** Silent unless POSTROOM_TEST_LOG names a level (debugging a failing test). */
export const testLogger = (service: string): Logger =>
  createLogger({ service, level: process.env.POSTROOM_TEST_LOG ?? 'silent' });

/** PIDs of the Dovecot imap processes serving `user` (by process title, see verbose_proctitle in dovecot.ts). */
export function imapProcessesOf(user: string): number[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args=']).toString().split('\n');
  return lines.filter((l) => /\/imap \[/.test(l) && l.includes(`[${user} `)).map((l) => Number(l.trim().split(/\s+/)[0]));
}

/**
 * SIGKILLs the imap processes serving `user`: the server side of the
 * connection dies mid-IDLE without a BYE. Other users are untouched.
 */
export function killImapProcessesOf(user: string): number {
  const pids = imapProcessesOf(user);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids.length;
}
