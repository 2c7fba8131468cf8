/**
 * Opens one authenticated IMAP connection for a mailbox: the only place that
 * turns settings + credentials into imapflow options, so TLS policy and the
 * auth method (password or XOAUTH2) are decided once for ingress and fetcher.
 */
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { classifyImapError } from './classify-imap-error';
import type { ImapSettings } from './imap-settings';

/** Password (LOGIN / AUTH=PLAIN) or an OAuth 2.0 access token (SASL XOAUTH2). */
export type ImapAuth = { user: string; password: string } | { user: string; accessToken: string };

export interface OpenImapClientOptions {
  settings: ImapSettings;
  auth: ImapAuth;
  /** Shown in imapflow's logs and the server's ID (RFC 2971) records. */
  id?: string;
  /**
   * Break and re-enter IDLE this often. RFC 2177 lets servers drop an IDLE
   * after 29 minutes, so this stays well below (default 25 minutes).
   */
  maxIdleTimeMs?: number;
  /**
   * Inactivity before imapflow probes the connection with NOOP (and fails it
   * when the probe gets no answer): the dead-connection detector.
   */
  socketTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/** imapflow options for a mailbox; auto-IDLE is off because callers run IDLE themselves. */
export function imapClientOptions(opts: OpenImapClientOptions): ImapFlowOptions {
  const { settings, auth } = opts;
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    doSTARTTLS: settings.secure ? undefined : settings.startTls,
    servername: settings.servername,
    tls: { rejectUnauthorized: settings.tlsRejectUnauthorized, ...(settings.tlsCa ? { ca: settings.tlsCa } : {}) },
    auth: 'accessToken' in auth ? { user: auth.user, accessToken: auth.accessToken } : { user: auth.user, pass: auth.password },
    id: opts.id,
    clientInfo: { name: 'postroom' },
    logger: false,
    disableAutoIdle: true,
    maxIdleTime: opts.maxIdleTimeMs ?? 25 * 60_000,
    socketTimeout: opts.socketTimeoutMs ?? 5 * 60_000,
    connectionTimeout: opts.connectionTimeoutMs ?? 30_000,
    greetingTimeout: 16_000,
  };
}

/** Connects and authenticates; rejects with a classified error (classify-imap-error). */
export async function openImapClient(opts: OpenImapClientOptions): Promise<ImapFlow> {
  const client = new ImapFlow(imapClientOptions(opts));
  // imapflow emits 'error' at most once per connection and closes it; without a
  // listener Node would throw it. Callers learn of it through 'close'.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw classifyImapError(err);
  }
  return client;
}
