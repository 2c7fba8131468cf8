/**
 * IMAP users and mail for tests against the shared Dovecot. Every test makes
 * its own user, so tests running in parallel never see each other's mail, and
 * delivers mail the way an MTA's LDA would: APPEND straight into a folder.
 *
 * Each user is its own passwd-file (see dovecot.ts), read on the user's first
 * login, so users added while Dovecot runs log in at once.
 */
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { writeDovecotUser } from './dovecot';

export interface DovecotAddress {
  host: string;
  port: number;
  /** The Dovecot's scratch folder; its passwd-file is `<dir>/users`. */
  dir: string;
}

export interface ImapCredentials {
  user: string;
  password: string;
}

/**
 * Adds a fresh Dovecot user (unique per call) and returns its credentials.
 * The random password may begin with `-` (base64url), so a test that puts it
 * on a command line passes it as `--option=<password>`.
 */
export function createImapUser(
  dovecot: DovecotAddress,
  prefix = 'user',
  password = randomBytes(12).toString('base64url'),
): ImapCredentials {
  if (!/^[a-z0-9._-]+$/i.test(prefix)) throw new Error(`invalid IMAP user prefix ${prefix}`);
  const user = `${prefix}-${randomBytes(6).toString('hex')}`;
  writeDovecotUser(dovecot.dir, user, password);
  return { user, password };
}

/** Opens a logged-in ImapFlow client for a test user (no auto-IDLE, no logging). */
export async function connectImap(dovecot: DovecotAddress, creds: ImapCredentials): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    // Loopback test server: stay in cleartext even when it offers STARTTLS
    // with a self-signed certificate (tls tests).
    doSTARTTLS: false,
    auth: { user: creds.user, pass: creds.password },
    logger: false,
    disableAutoIdle: true,
  });
  // imapflow emits 'error' once when a connection drops; unheard, Node turns it
  // into an uncaught exception that ends the whole test process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * APPENDs one raw RFC 5322 message to a folder (created when missing) and
 * returns the UID Dovecot assigned (UIDPLUS, RFC 4315) and the folder's
 * UIDVALIDITY. `where` is the folder, or `{ folder, internalDate }` to also
 * backdate the message (the date SEARCH SINCE reads).
 */
export async function appendMail(
  dovecot: DovecotAddress,
  creds: ImapCredentials,
  raw: string | Buffer,
  where: string | { folder?: string; internalDate?: Date } = 'INBOX',
): Promise<{ uid: number; uidValidity: number }> {
  const { folder = 'INBOX', internalDate } = typeof where === 'string' ? { folder: where } : where;
  const client = await connectImap(dovecot, creds);
  try {
    if (folder.toUpperCase() !== 'INBOX') {
      const existing = await client.list();
      if (!existing.some((box) => box.path === folder)) await client.mailboxCreate(folder);
    }
    const result = await client.append(folder, raw, [], internalDate);
    if (!result || result.uid === undefined) throw new Error(`APPEND to ${folder} returned no UID`);
    return { uid: result.uid, uidValidity: Number(result.uidValidity) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** A small, valid RFC 5322 message with a unique Message-ID. */
export function sampleMail(opts: { subject?: string; from?: string; to?: string; body?: string } = {}): string {
  const id = `${randomBytes(8).toString('hex')}@test.postroom.invalid`;
  return [
    `From: ${opts.from ?? 'Customer <customer@example.com>'}`,
    `To: ${opts.to ?? 'support@example.com'}`,
    `Subject: ${opts.subject ?? 'Help needed'}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body ?? 'Hello, my order did not arrive.',
    '',
  ].join('\r\n');
}
