/**
 * The end-to-end harness: a fresh namespace and database, a Dovecot user and
 * mailbox, an SMTP sink, an OTLP collector, and the seven services running as
 * their own processes against all of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, getMailbox, type Mailbox, type MailboxSettings } from '@postroom/db';
import { createImapUser, type DovecotAddress, type ImapCredentials } from '../src/imap';
import { startOtlpCollector, type OtlpCollector } from '../src/otlp-collector';
import { startPipeline, type Pipeline } from '../src/pipeline';
import { startSmtpSink, type SmtpSink } from '../src/smtp-sink';
import { createTestEnv, type TestEnv } from '../src/test-env';
import { waitFor } from '../src/wait-for';

export const ROOT = join(import.meta.dirname, '../../..');

export interface E2E {
  env: TestEnv;
  tenantId: string;
  tenantSlug: string;
  mailbox: Mailbox;
  imap: ImapCredentials;
  sink: SmtpSink;
  collector: OtlpCollector;
  pipeline: Pipeline;
  serviceEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startE2E(dovecot: DovecotAddress, extraSettings: Partial<MailboxSettings> = {}): Promise<E2E> {
  const env = await createTestEnv();
  const sink = await startSmtpSink();
  const collector = await startOtlpCollector();
  const imap = createImapUser(dovecot, 'e2e');
  const key = randomBytes(32).toString('base64');
  const tenant = await createTenant(env.ds, { name: 'E2E', slug: env.namespace });
  const mailbox = await createMailbox(env.ds, createSecretBox({ key }), {
    tenantId: tenant.id, name: 'Support', address: `support-${env.namespace}@e2e.example`, displayName: 'E2E Support', provider: 'imap',
    settings: {
      imap: { host: dovecot.host, port: dovecot.port, secure: false, startTls: false, folders: ['INBOX'] },
      smtp: { host: sink.host, port: sink.port, secure: false },
      backfill: { mode: 'none' },
      ...extraSettings,
    } as MailboxSettings,
    credentials: { imap: { user: imap.user, password: imap.password }, smtp: { user: imap.user, password: imap.password } },
  });
  const serviceEnv = {
    NATS_URL: env.natsUrl, NATS_NAMESPACE: env.namespace, DATABASE_URL: env.databaseUrl, ENCRYPTION_KEY: key,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200', LOG_LEVEL: 'debug',
    INGRESS_REFRESH_MS: '500',
    // 1 MiB instead of 50, so the oversized-mail test appends 1.5 MB, not 50.
    FETCHER_MAX_MESSAGE_BYTES: String(1024 * 1024),
  };
  const pipeline = await startPipeline({ root: ROOT, env: serviceEnv, logDir: mkdtempSync(join(tmpdir(), 'postroom-e2e-logs-')) }).catch(
    async (err: unknown) => {
      await Promise.all([sink.close(), collector.close()]);
      await env.cleanup();
      throw err;
    },
  );
  // The mailbox's backfill is `none`: mail already in INBOX when ingress first
  // reads it is skipped by design, so a test may append only once it is live.
  await waitFor('the e2e mailbox live', async () => (await getMailbox(env.ds, tenant.id, mailbox.id))?.status === 'live', 60_000).catch(
    async (err: unknown) => {
      await pipeline.stop();
      await Promise.all([sink.close(), collector.close()]);
      await env.cleanup();
      throw err;
    },
  );
  return {
    env, tenantId: tenant.id, tenantSlug: env.namespace, mailbox, imap, sink, collector, pipeline, serviceEnv,
    async stop() {
      await pipeline.stop();
      await Promise.all([sink.close(), collector.close()]);
      await env.cleanup();
    },
  };
}

/** Runs the real `postroom` CLI in its own process with the pipeline's environment. */
export function runCli(e2e: E2E, args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'libs/cli/src/main.ts'), ...args], {
    cwd: ROOT, env: { ...process.env, ...e2e.serviceEnv }, encoding: 'utf8',
  });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

const STAGE_CONSUMERS = [
  ['MAIL', 'fetcher'], ['MAIL', 'parser'], ['MAIL', 'classifier'], ['MAIL', 'ticketer'],
  ['WORK', 'attachment'], ['WORK', 'mailbox-actions'], ['OUTBOUND', 'sender'],
] as const;

/** True when every stage consumer has nothing pending and nothing awaiting an ack. */
export async function pipelineIsIdle(e2e: E2E): Promise<boolean> {
  for (const [stream, durable] of STAGE_CONSUMERS) {
    const info = await e2e.env.bus.jsm.consumers.info(e2e.env.bus.subjects.stream(stream), durable);
    if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
  }
  return true;
}
