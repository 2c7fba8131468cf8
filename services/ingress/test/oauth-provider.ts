/**
 * A tiny OAuth 2.0 provider for tests: a token endpoint (RFC 6749 §6, refresh
 * tokens rotated on every use, as Microsoft does) and the introspection
 * endpoint (RFC 7662) Dovecot's oauth2 passdb asks whether a token is valid.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthProvider {
  url: string;
  /** Issues the first refresh token for a user. */
  grant(user: string): string;
  /** Makes every access token issued so far invalid. */
  revokeAccessTokens(): void;
  /** client_secret values seen at the token endpoint. */
  secretsSeen: string[];
  refreshes(): number;
  close(): Promise<void>;
}

const readForm = (req: IncomingMessage) =>
  new Promise<URLSearchParams>((resolve) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve(new URLSearchParams(body)));
  });

export async function startOAuthProvider(): Promise<OAuthProvider> {
  const refreshTokens = new Map<string, string>();
  const accessTokens = new Map<string, string>();
  const secretsSeen: string[] = [];
  let counter = 0;
  const server = createServer(async (req, res) => {
    const form = await readForm(req);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/introspect') {
      const user = accessTokens.get(form.get('token') ?? '');
      return json(200, user ? { active: true, username: user } : { active: false });
    }
    secretsSeen.push(form.get('client_secret') ?? '');
    const user = refreshTokens.get(form.get('refresh_token') ?? '');
    if (form.get('grant_type') !== 'refresh_token' || !user) return json(400, { error: 'invalid_grant' });
    refreshTokens.delete(form.get('refresh_token')!);
    counter += 1;
    const access = `at-${counter}-${user}`;
    const refresh = `rt-${counter}-${user}`;
    accessTokens.set(access, user);
    refreshTokens.set(refresh, user);
    return json(200, { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: 3600 });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    grant(user) {
      const token = `rt-0-${user}`;
      refreshTokens.set(token, user);
      return token;
    },
    revokeAccessTokens: () => accessTokens.clear(),
    secretsSeen,
    refreshes: () => counter,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
