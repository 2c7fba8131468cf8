/**
 * A real Dovecot IMAP server for tests and the local demo, run as an
 * unprivileged loopback listener with a passwd-file: nothing under /etc is
 * read or changed. Dovecot re-reads the passwd-file when it changes, so users
 * can be added while it runs.
 *
 * Quirk: Dovecot delays IDLE notifications by a hard-coded 0.5 s, which is the
 * floor for "mail arrives → client notices" against it.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync, chownSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export interface DovecotServer {
  host: string;
  port: number;
  dir: string;
  /** Adds an IMAP user with a plain-text password. */
  addUser(user: string, password: string): void;
  stop(): Promise<void>;
}

const DOVECOT_BINARIES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];

export function findDovecot(): string {
  const bin = DOVECOT_BINARIES.find((path) => existsSync(path));
  if (!bin) {
    throw new Error('Dovecot is not installed: run `bash scripts/install-test-peers.sh` (installs dovecot-imapd)');
  }
  return bin;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function configText(dir: string, port: number, opts: DovecotOptions = {}): string {
  const maxSessions = opts.maxSessions ?? 2000;
  return `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = postroom-dovecot-${port}
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
${opts.tls ? `ssl = yes\nssl_cert = <${opts.tls.certPath}\nssl_key = <${opts.tls.keyPath}` : 'ssl = no'}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
mail_location = maildir:~/Maildir
first_valid_uid = 1
# RFC 6154 SPECIAL-USE on a folder whose name says nothing, so a test can
# tell the announced \\Junk use from a guess by name.
namespace inbox {
  inbox = yes
  mailbox Quarantine {
    special_use = \\Junk
  }
}
# Process titles name the user ("imap [alice 127.0.0.1 IDLE]"), so a test can
# kill the one IMAP process of its own user to simulate a dropped connection.
verbose_proctitle = yes
default_client_limit = ${2 * maxSessions}
default_process_limit = ${maxSessions}
# The imap service has its own process_limit (1024 built in) that wins over
# default_process_limit; one process per IMAP session, so it is the session cap.
service imap {
  process_limit = ${maxSessions}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  process_min_avail = 2
}
service anvil {
  client_limit = ${3 * maxSessions}
}
${authConfig(dir, opts)}protocol imap {
  mail_max_userip_connections = ${maxSessions}
}
`;
}

export interface DovecotOptions {
  /**
   * Accept SASL XOAUTH2/OAUTHBEARER (RFC 7628) with tokens checked by POSTing
   * them to this OAuth 2.0 introspection endpoint (RFC 7662), which answers
   * `{"active": true, "username": "<user>"}`. The user still needs a
   * passwd-file entry (writeDovecotUser) for its home.
   */
  oauth2IntrospectionUrl?: string;
  /** Offer STARTTLS (RFC 3501 §6.2.1) with this certificate and key (PEM files). */
  tls?: { certPath: string; keyPath: string };
  /** Concurrent IMAP sessions the server allows (one process each); default 2000. */
  maxSessions?: number;
}

/** Users: a passwd-file per user (users.d/<user>), then the shared one; optionally OAuth 2.0 tokens. */
function authConfig(dir: string, opts: DovecotOptions): string {
  return `${opts.oauth2IntrospectionUrl ? oauth2Passdb(dir) : ''}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users.d/%u
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users.d/%u
  default_fields = uid=nobody gid=nogroup home=${dir}/mail/%u
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users
  default_fields = uid=nobody gid=nogroup home=${dir}/mail/%u
}
`;
}

function oauth2Passdb(dir: string): string {
  return `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/dovecot-oauth2.conf.ext
}
`;
}

function oauth2Config(url: string): string {
  return `introspection_mode = post
introspection_url = ${url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
`;
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Dovecot did not listen on 127.0.0.1:${port} in time`);
}

/**
 * Adds a user as its own passwd-file, `<dir>/users.d/<user>`. Dovecot checks a
 * passwd-file for changes at most once per second, so users appended to one
 * shared file are unknown for up to a second; a file per user is read fresh
 * on the user's first login.
 */
export function writeDovecotUser(dir: string, user: string, password: string): void {
  if (!/^[A-Za-z0-9._@-]+$/.test(user) || /[:\r\n]/.test(password)) throw new Error(`invalid test user ${user}`);
  mkdirSync(join(dir, 'users.d'), { recursive: true });
  writeFileSync(join(dir, 'users.d', user), `${user}:{PLAIN}${password}:::::\n`);
}

/** Starts Dovecot in the foreground of a child process, in `dir`. */
export async function startDovecot(dir: string, port?: number, opts: DovecotOptions = {}): Promise<DovecotServer> {
  const bin = findDovecot();
  const listenPort = port ?? (await freePort());
  for (const sub of ['run', 'state', 'mail', 'users.d']) mkdirSync(join(dir, sub), { recursive: true });
  // Dovecot's auth (user dovecot) reads the passwd-file and imap (nobody) the
  // homes in here: a mkdtemp folder is 0700 root, which fails every login with
  // "Temporary authentication failure".
  chmodSync(dir, 0o755);
  const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
  const nogroup = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
  chownSync(join(dir, 'mail'), nobody, nogroup);
  const usersFile = join(dir, 'users');
  if (!existsSync(usersFile)) writeFileSync(usersFile, '');
  if (opts.oauth2IntrospectionUrl) writeFileSync(join(dir, 'dovecot-oauth2.conf.ext'), oauth2Config(opts.oauth2IntrospectionUrl));
  writeFileSync(join(dir, 'dovecot.conf'), configText(dir, listenPort, opts));
  const child: ChildProcess = spawn(bin, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitForPort(listenPort, Date.now() + 15_000);
  return {
    host: '127.0.0.1',
    port: listenPort,
    dir,
    addUser: (user, password) => writeDovecotUser(dir, user, password),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
