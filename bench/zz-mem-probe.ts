import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant } from '@postroom/db';
import { createLogger } from '@postroom/telemetry';
import { createImapUser, createTestEnv, startDovecot } from '@postroom/testing';
import { startIngress } from '../services/ingress/src/ingress';
import { raiseImapProcessLimit, sleep } from './imap-bench-support';

const N = Number(process.argv[2] ?? 1000);
const mem = (label: string) => {
  if (process.argv[4] === 'gc') (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (x: number) => Math.round(x / 1048576);
  console.log(label, { rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) });
};
const dir = mkdtempSync(join(tmpdir(), 'memprobe-'));
const dovecot = await startDovecot(dir);
await raiseImapProcessLimit(dovecot, N + 500);
const env = await createTestEnv();
const secrets = createSecretBox({ key: randomBytes(32).toString('base64') });
const tenantId = (await createTenant(env.ds, { name: 'x', slug: env.namespace })).id;
for (let i = 0; i < N; i++) {
  const u = createImapUser(dovecot, 'mem');
  await createMailbox(env.ds, secrets, { tenantId, name: u.user, address: `${u.user}@x`, displayName: null, provider: 'imap',
    settings: { imap: { host: dovecot.host, port: dovecot.port, secure: false, startTls: false }, backfill: { mode: 'none' } },
    credentials: { imap: { user: u.user, password: u.password } } });
}
mem('before');
const logger = createLogger({ service: 'probe', level: 'warn' });
const ing = startIngress({ bus: env.bus, ds: env.ds, secrets, logger, options: { refreshMs: 2000, maxIdleTimeMs: 25 * 60_000, socketTimeoutMs: 5 * 60_000, maxConnecting: 16, watcher: { pauseAfterAuthFailures: 3, authRetryMs: 60_000, backoff: { baseMs: 1000, maxMs: 300_000, stableMs: 60_000 }, reconcileMs: 300_000, batchSize: 256 } } });
for (;;) {
  const [{ n }] = await env.ds.query(`SELECT count(*) AS n FROM mailboxes WHERE status = 'live'`);
  if (Number(n) >= N) break;
  await sleep(1000);
}
await sleep(5000);
mem('live');
const v8 = await import('node:v8');
if (process.argv[3] === 'snap') {
  const file = v8.writeHeapSnapshot('/tmp/ingress-probe.heapsnapshot');
  console.log('snapshot', file);
}
await ing.stop();
mem('stopped');
await env.cleanup();
await dovecot.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
