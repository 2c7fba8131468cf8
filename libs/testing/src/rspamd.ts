/**
 * A real rspamd (Debian's `rspamd`, installed by scripts/install-test-peers.sh)
 * for tests: an unprivileged loopback process with its own top-level config,
 * local.d, database, run and log folders in a temp dir. Debian's stock
 * /etc/rspamd is read, never changed. Test-only choices, each for speed or
 * for keeping traffic on this machine:
 *
 * - DNS goes to a closed loopback port, so RBL, SURBL, SPF, DKIM and map
 *   downloads fail at once and nothing leaves 127.0.0.1; the modules that
 *   live on the network (or on Redis) are disabled as well.
 * - A short TLD list: compiling the full public-suffix list with hyperscan
 *   costs ~30 s on a cold start; hyperscan is off (PCRE scores the same), so
 *   no background compile competes with the tests for the CPU.
 * - One normal worker (the /checkv2 API); no controller, proxy or fuzzy.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './dovecot';

export interface RspamdServer {
  /** e.g. `http://127.0.0.1:40123`: POST /checkv2 here. */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

const RSPAMD_BINARIES = ['/usr/bin/rspamd', '/usr/local/bin/rspamd'];

const OFFLINE_MODULES = [
  'antivirus', 'arc', 'asn', 'dcc', 'dkim', 'dkim_signing', 'dmarc', 'elastic', 'clickhouse', 'emails', 'external_services',
  'fuzzy_check', 'greylist', 'hfilter', 'history_redis', 'metadata_exporter', 'multimap', 'mx_check', 'neural', 'p0f',
  'phishing', 'ratelimit', 'rbl', 'replies', 'reputation', 'spf', 'surbl', 'url_redirector', 'whitelist',
];

const TLDS = ['com', 'org', 'net', 'edu', 'gov', 'io', 'de', 'fr', 'uk', 'co.uk', 'test', 'example', 'invalid', 'localhost'];

export function findRspamd(): string {
  const bin = RSPAMD_BINARIES.find((path) => existsSync(path));
  if (!bin) throw new Error('rspamd is not installed: run `bash scripts/install-test-peers.sh` (installs Debian\'s rspamd)');
  return bin;
}

function writeConfig(dir: string, port: number): void {
  for (const sub of ['local.d', 'db', 'run', 'log']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'tld.dat'), `${TLDS.join('\n')}\n`);
  // Port 9 (discard) on loopback: nothing answers DNS there.
  writeFileSync(join(dir, 'local.d/options.inc'), `dns { nameserver = ["127.0.0.1:9"]; timeout = 0.2s; retransmits = 1; }
url_tld = "${dir}/tld.dat";
disable_hyperscan = true;
`);
  for (const m of OFFLINE_MODULES) writeFileSync(join(dir, `local.d/${m}.conf`), 'enabled = false;\n');
  writeFileSync(join(dir, 'rspamd.conf'), `.include "$CONFDIR/common.conf"
options {
  pidfile = "$RUNDIR/rspamd.pid";
  .include "$CONFDIR/options.inc"
  .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/options.inc"
}
logging {
  type = "file";
  filename = "$LOGDIR/rspamd.log";
  level = "warning";
}
worker "normal" {
  bind_socket = "127.0.0.1:${port}";
  count = 1;
  mime = true;
}
`);
}

/** Root runs rspamd as nobody (it refuses to run workers as root); anyone else as themselves. */
function unprivileged(dir: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
  const own = (path: string) => {
    chownSync(path, uid, gid);
    for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) own(join(path, entry.name));
  };
  own(dir);
  return { uid, gid };
}

async function waitForPing(url: string, exited: () => string | undefined, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const why = exited();
    if (why) throw new Error(why);
    const pong = await fetch(`${url}/ping`).then((r) => r.text(), () => '');
    if (pong.trim() === 'pong') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rspamd did not answer ${url}/ping in time`);
}

const logTail = (dir: string): string => {
  const log = join(dir, 'log/rspamd.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
};

/** Starts rspamd in the foreground of its own process group; `stop()` ends the group and removes the dir. */
export async function startRspamd(opts: { port?: number } = {}): Promise<RspamdServer> {
  const bin = findRspamd();
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'postroom-rspamd-'));
  writeConfig(dir, port);
  const vars = { LOCAL_CONFDIR: dir, DBDIR: join(dir, 'db'), RUNDIR: join(dir, 'run'), LOGDIR: join(dir, 'log') };
  const args = ['-f', '-c', join(dir, 'rspamd.conf'), ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`])];
  const child = spawn(bin, args, { stdio: 'ignore', detached: true, ...unprivileged(dir) });
  const url = `http://127.0.0.1:${port}`;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, signal);
  };
  const stop = async () => {
    signalGroup('SIGTERM');
    const force = setTimeout(() => signalGroup('SIGKILL'), 10_000);
    await exit;
    clearTimeout(force);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const exited = () => (child.exitCode !== null ? `rspamd exited with code ${child.exitCode}:\n${logTail(dir)}` : undefined);
    await waitForPing(url, exited, Date.now() + 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, dir, stop };
}
