/**
 * XOAUTH2 against a Dovecot that checks tokens with a local OAuth provider:
 * ingress and fetcher log in with an access token refreshed from the token
 * endpoint, store the rotated refresh token, and refresh again when the
 * server refuses a token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNatsBlobStore } from '@postroom/blob';
import { createMailbox, readMailboxCredentials, type Mailbox } from '@postroom/db';
import { appendMail, createImapUser, sampleMail, startDovecot, waitFor, type DovecotServer, type ImapCredentials } from '@postroom/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFetcher } from '../../fetcher/src/fetcher';
import { startIngress } from '../src/ingress';
import { createIngressTestEnv, cursorOf, FAST, killImapProcessesOf, readFetched, statusOf, testLogger, type IngressTestEnv } from './harness';
import { startOAuthProvider, type OAuthProvider } from './oauth-provider';

let env: IngressTestEnv;
let provider: OAuthProvider;
let dovecot: DovecotServer;
let dir: string;

beforeAll(async () => {
  env = await createIngressTestEnv();
  provider = await startOAuthProvider();
  dir = mkdtempSync(join(tmpdir(), 'postroom-oauth-dovecot-'));
  dovecot = await startDovecot(dir, undefined, { oauth2IntrospectionUrl: `${provider.url}/introspect` });
});

afterAll(async () => {
  await dovecot.stop();
  rmSync(dir, { recursive: true, force: true });
  await provider.close();
  await env.cleanup();
});

async function oauthMailbox(creds: ImapCredentials): Promise<Mailbox> {
  return createMailbox(env.ds, env.secrets, {
    tenantId: env.tenantId, name: creds.user, address: `${creds.user}@example.com`, provider: 'imap',
    settings: {
      imap: { host: dovecot.host, port: dovecot.port, secure: false, auth: 'xoauth2', oauth2: { tokenUrl: `${provider.url}/token`, clientId: 'postroom' } },
      backfill: { mode: 'none' },
    } as never,
    credentials: { imap: { user: creds.user, refreshToken: provider.grant(creds.user), clientSecret: 'client-s3cret' } as never },
  });
}

const storedImap = async (id: string) =>
  (await readMailboxCredentials(env.ds, env.secrets, env.tenantId, id)).imap as unknown as Record<string, unknown>;

describe('XOAUTH2', () => {
  it('logs in with a refreshed access token, stores the rotated refresh token, and refreshes a refused one', async () => {
    const creds = createImapUser(dovecot, 'oauth');
    const mailbox = await oauthMailbox(creds);
    const ingress = startIngress({ bus: env.bus, ds: env.ds, secrets: env.secrets, logger: testLogger('ingress'), options: FAST });
    const fetcher = startFetcher({
      bus: env.bus, ds: env.ds, secrets: env.secrets, blobs: await createNatsBlobStore(env.bus), logger: env.logger,
      maxMessageBytes: 1_000_000, idleCloseMs: 1_000,
    });
    try {
      await waitFor('live', async () => (await statusOf(env, mailbox.id)).status === 'live');
      const stored = await storedImap(mailbox.id);
      expect(stored).toMatchObject({ user: creds.user, accessToken: `at-1-${creds.user}`, refreshToken: `rt-1-${creds.user}` });
      expect(stored.accessTokenExpiresAt).toEqual(expect.any(Number));
      expect(provider.secretsSeen).toContain('client-s3cret');

      const first = await appendMail(dovecot, creds, sampleMail());
      await waitFor('pointer', async () => (await cursorOf(env, mailbox.id))?.lastUid === first.uid);
      // The fetcher logs in with the stored access token too.
      const fetched = await waitFor('fetched', async () => (await readFetched(env, mailbox.id))[0]);
      expect(fetched.mail?.source?.uid).toBe(first.uid);
      expect(fetched.raw?.size).toBeGreaterThan(0n);

      provider.revokeAccessTokens();
      killImapProcessesOf(creds.user);
      const second = await appendMail(dovecot, creds, sampleMail());
      await waitFor('pointer after refresh', async () => (await cursorOf(env, mailbox.id))?.lastUid === second.uid, 60_000);
      expect(provider.refreshes()).toBeGreaterThanOrEqual(2);
      expect((await storedImap(mailbox.id)).refreshToken).toBe(`rt-${provider.refreshes()}-${creds.user}`);
    } finally {
      await fetcher.stop();
      await ingress.stop();
    }
  });
});
