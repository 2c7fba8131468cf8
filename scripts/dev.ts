/**
 * `npm start`: the whole pipeline on this machine, on its embedded defaults.
 * NATS and PostgreSQL on localhost, a NATS JetStream stream for blobs, a demo
 * Dovecot mailbox (support@demo.local on 127.0.0.1:1143) and an SMTP sink on
 * 127.0.0.1:2525 that prints what agents' replies would send. State lives in
 * .postroom/ (the encryption key, Dovecot's mail, service logs).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, ensureDatabase, findMailboxByAddress, findTenantBySlug, migrate, openDatabase } from '@postroom/db';
import { startDovecot, startPipeline, startSmtpSink, SERVICE_NAMES } from '@postroom/testing';

const root = join(import.meta.dirname, '..');
const state = join(root, '.postroom');
const DEMO = { address: 'support@demo.local', password: 'demo-password', imapPort: 1143, smtpPort: 2525 };
const env = {
  NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postroom',
  NATS_NAMESPACE: process.env.NATS_NAMESPACE ?? '',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  ENCRYPTION_KEY_FILE: join(state, 'encryption.key'),
};

function ensureKeyFile(): string {
  mkdirSync(state, { recursive: true });
  if (!existsSync(env.ENCRYPTION_KEY_FILE)) writeFileSync(env.ENCRYPTION_KEY_FILE, randomBytes(32).toString('base64'), { mode: 0o600 });
  return readFileSync(env.ENCRYPTION_KEY_FILE, 'utf8').trim();
}

async function ensureDemoMailbox(key: string): Promise<void> {
  await ensureDatabase(env.DATABASE_URL);
  const ds = await openDatabase(env.DATABASE_URL);
  try {
    await migrate(ds);
    const tenant = (await findTenantBySlug(ds, 'demo')) ?? (await createTenant(ds, { name: 'Demo', slug: 'demo' }));
    if (await findMailboxByAddress(ds, tenant.id, DEMO.address)) return;
    await createMailbox(ds, createSecretBox({ key }), {
      tenantId: tenant.id, name: 'Support', address: DEMO.address, displayName: 'Demo Support', provider: 'imap',
      settings: {
        imap: { host: '127.0.0.1', port: DEMO.imapPort, secure: false, startTls: false, folders: ['INBOX'] },
        smtp: { host: '127.0.0.1', port: DEMO.smtpPort, secure: false },
        backfill: { mode: 'last', count: 100 },
      },
      credentials: { imap: { user: DEMO.address, password: DEMO.password }, smtp: { user: DEMO.address, password: DEMO.password } },
    });
  } finally {
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  const key = ensureKeyFile();
  const dovecot = await startDovecot(join(state, 'dovecot'), DEMO.imapPort);
  if (!readFileSync(join(state, 'dovecot', 'users'), 'utf8').includes(`${DEMO.address}:`)) dovecot.addUser(DEMO.address, DEMO.password);
  const sink = await startSmtpSink({ port: DEMO.smtpPort });
  sink.respondWith((mail) => {
    console.log(`\n[smtp-sink] accepted mail to ${mail.envelope.to.join(', ')}:\n${mail.text.split('\r\n\r\n')[0]}\n`);
    return undefined;
  });
  await ensureDemoMailbox(key);
  const healthPorts = Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, 9101 + i]));
  const pipeline = await startPipeline({ root, env, logDir: join(state, 'logs'), healthPorts });
  console.log(`Postroom is running: ${SERVICE_NAMES.join(', ')} (logs in .postroom/logs/, health on :9101-9107).
Deliver a sample mail:   npm run postroom -- mailbox deliver ${DEMO.address}
See the ticket:          npm run postroom -- tickets
Reply as an agent:       npm run postroom -- reply 1 --text "It ships tomorrow."
Stop with Ctrl-C.`);
  const shutdown = async () => {
    await pipeline.stop();
    await Promise.all([sink.close(), dovecot.stop()]);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(`postroom: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
