import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImapLogin, type OAuthCredentialsRecord } from './imap-login';
import { parseImapSettings } from './imap-settings';

let server: Server;
let tokenUrl: string;
const seen: URLSearchParams[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      seen.push(form);
      res.writeHead(form.get('refresh_token') === 'revoked' ? 400 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(form.get('refresh_token') === 'revoked'
        ? { error: 'invalid_grant' }
        : { access_token: `at-${seen.length}`, refresh_token: `rt-${seen.length}`, expires_in: 3600 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function store(initial: OAuthCredentialsRecord) {
  let creds = initial;
  return { read: async () => creds, save: async (c: OAuthCredentialsRecord) => void (creds = c), get: () => creds };
}

const oauthSettings = () => parseImapSettings({ imap: { host: 'h', auth: 'xoauth2', oauth2: { tokenUrl, clientId: 'pr' } } }).imap;

describe('createImapLogin', () => {
  it('uses the password for password mailboxes', async () => {
    const login = createImapLogin({ settings: parseImapSettings({ imap: { host: 'h' } }).imap, ...store({ user: 'u', password: 'p' }) });
    expect(await login()).toEqual({ user: 'u', password: 'p' });
  });

  it('refreshes once for concurrent logins and stores the rotated refresh token', async () => {
    seen.length = 0;
    const s = store({ user: 'u', refreshToken: 'rt-0', clientSecret: 'sec' });
    const login = createImapLogin({ settings: oauthSettings(), read: s.read, save: s.save, now: () => 1_000 });
    const [a, b] = await Promise.all([login(), login()]);
    expect(a).toEqual({ user: 'u', accessToken: 'at-1' });
    expect(b).toEqual(a);
    expect(seen).toHaveLength(1);
    expect(Object.fromEntries(seen[0])).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: 'pr', client_secret: 'sec' });
    expect(s.get()).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', accessTokenExpiresAt: 1_000 + 3_600_000 });
    // Still fresh: no second refresh, unless the server refused the token.
    expect(await login()).toEqual(a);
    expect(seen).toHaveLength(1);
    expect(await login(true)).toEqual({ user: 'u', accessToken: 'at-2' });
  });

  it('reports a refused refresh token as an account failure', async () => {
    const s = store({ user: 'u', refreshToken: 'revoked' });
    const login = createImapLogin({ settings: oauthSettings(), read: s.read, save: s.save });
    await expect(login()).rejects.toMatchObject({ code: 'MAILBOX_AUTH_FAILED' });
  });
});
