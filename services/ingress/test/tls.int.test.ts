/**
 * STARTTLS against a Dovecot with a self-signed certificate: the certificate
 * is checked by default (an untrusted one puts the mailbox in error), a
 * mailbox that trusts the private CA connects with checks on, and checks can
 * be turned off explicitly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendMail, createImapUser, sampleMail, startDovecot, waitFor, type DovecotServer } from '@postroom/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress } from '../src/ingress';
import { addImapMailbox, createIngressTestEnv, cursorOf, FAST, statusOf, testLogger, type IngressTestEnv } from './harness';

let env: IngressTestEnv;
let dovecot: DovecotServer;
let dir: string;
let certPem: string;

beforeAll(async () => {
  env = await createIngressTestEnv();
  dir = mkdtempSync(join(tmpdir(), 'postroom-tls-dovecot-'));
  const [certPath, keyPath] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  certPem = readFileSync(certPath, 'utf8');
  dovecot = await startDovecot(dir, undefined, { tls: { certPath, keyPath } });
});

afterAll(async () => {
  await dovecot.stop();
  rmSync(dir, { recursive: true, force: true });
  await env.cleanup();
});

describe('TLS', () => {
  it('checks certificates by default, trusts a configured CA, and skips checks only when told', async () => {
    const [untrusted, trusted, unchecked] = ['untrusted', 'trusted', 'unchecked'].map((p) => createImapUser(dovecot, p));
    const boxes = {
      untrusted: await addImapMailbox(env, dovecot, untrusted, { imap: { startTls: true } }),
      trusted: await addImapMailbox(env, dovecot, trusted, { imap: { startTls: true, tlsCa: certPem } }),
      unchecked: await addImapMailbox(env, dovecot, unchecked, { imap: { startTls: true, tlsRejectUnauthorized: false } }),
    };
    const ingress = startIngress({ bus: env.bus, ds: env.ds, secrets: env.secrets, logger: testLogger('ingress'), options: FAST });
    try {
      const refused = await waitFor('untrusted certificate refused', async () => {
        const s = await statusOf(env, boxes.untrusted.id);
        return s.lastError?.startsWith('IMAP_TLS_FAILED') ? s : undefined;
      });
      expect(['error', 'paused']).toContain(refused.status);
      expect(refused.connectedAt).toBeNull();
      for (const [creds, box] of [[trusted, boxes.trusted], [unchecked, boxes.unchecked]] as const) {
        await waitFor('live', async () => (await statusOf(env, box.id)).status === 'live');
        const { uid } = await appendMail(dovecot, creds, sampleMail());
        await waitFor('pointer', async () => (await cursorOf(env, box.id))?.lastUid === uid);
      }
      // Dovecot marks sessions that negotiated TLS in its login log lines.
      const log = readFileSync(join(dir, 'dovecot.log'), 'utf8').split('\n');
      expect(log.some((l) => l.includes(`Login: user=<${trusted.user}>`) && l.includes(', TLS,'))).toBe(true);
      expect(log.some((l) => l.includes(`Login: user=<${untrusted.user}>`))).toBe(false);
    } finally {
      await ingress.stop();
    }
  });
});
