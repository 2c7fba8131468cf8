/**
 * Many-mailboxes benchmark (issue 3): one ingress replica holding N IDLE
 * mailboxes (N Dovecot users, one INBOX each), with the whole pipeline
 * running. Measures how long until every mailbox is live, the ingress RSS,
 * and the notice latency (APPEND answered → pointer observed; the message
 * row's received_at is the pointer's observed time) over mails APPENDed to
 * random mailboxes. `npm run bench:mailboxes [-- --mailboxes 1000 --mails 300 --rate 10]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createImapUser, type ImapCredentials } from '@postroom/testing';
import { benchMail, percentiles } from './bench-support';
import { appendOne, cpuSeconds, machine, rssMiB, sleep, startBenchWorld, type BenchWorld } from './imap-bench-support';

const { values } = parseArgs({ options: {
  mailboxes: { type: 'string' }, mails: { type: 'string' }, rate: { type: 'string' }, 'live-timeout-s': { type: 'string' },
  /** NODE_OPTIONS for the services, e.g. "--max-semi-space-size=2" to see what V8's heap sizing adds to the RSS. */
  'node-options': { type: 'string' },
} });
const MAILBOXES = Number(values.mailboxes ?? 1000);
const MAILS = Number(values.mails ?? 300);
const RATE = Number(values.rate ?? 10);
const LIVE_TIMEOUT_MS = Number(values['live-timeout-s'] ?? 300) * 1000;

async function statuses(w: BenchWorld): Promise<Record<string, number>> {
  const rows: Array<{ status: string; n: string }> = await w.env.ds.query(
    `SELECT status, count(*) AS n FROM mailboxes WHERE tenant_id = $1 GROUP BY status`, [w.tenantId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The mailboxes that did not become live: status, last error (the logs say the rest). */
async function notLive(w: BenchWorld): Promise<Array<{ id: string; address: string; status: string; lastError: string | null }>> {
  return w.env.ds.query(
    `SELECT id, address, status, last_error AS "lastError" FROM mailboxes WHERE tenant_id = $1 AND status <> 'live' ORDER BY address LIMIT 20`,
    [w.tenantId],
  );
}

/** Dovecot's imap processes (one per connection) and their summed RSS, MiB. */
function dovecotImapProcesses(port: number): { processes: number; rssMiB: number } {
  let processes = 0;
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`postroom-dovecot-${port}/imap `)) continue;
      processes += 1;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended while we looked.
    }
  }
  return { processes, rssMiB: Math.round(kb / 1024) };
}

/** The ingress's V8 heap from its /metrics (prom-client default metrics), MiB: what of its RSS is live JS objects. */
async function heapOf(w: BenchWorld): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${w.pipeline.services.get('ingress')!.healthPort}/metrics`)).text();
  const value = (metric: string) => Number(new RegExp(`^\\w*${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const mib = (bytes: number) => Math.round(bytes / 1048576);
  return { heapUsed: mib(value('nodejs_heap_size_used_bytes')), heapTotal: mib(value('nodejs_heap_size_total_bytes')), external: mib(value('nodejs_external_memory_bytes')) };
}

async function addMailboxes(w: BenchWorld): Promise<ImapCredentials[]> {
  const users: ImapCredentials[] = [];
  for (let i = 0; i < MAILBOXES; i += 50) {
    const batch = Array.from({ length: Math.min(50, MAILBOXES - i) }, () => createImapUser(w.dovecot, 'mb'));
    await Promise.all(batch.map((u) => w.addMailbox(u.user, u.password, { backfill: { mode: 'none' } })));
    users.push(...batch);
  }
  return users;
}

async function waitLive(w: BenchWorld, started: number): Promise<{ seconds: number; statuses: Record<string, number> }> {
  let s = await statuses(w);
  while ((s.live ?? 0) < MAILBOXES && Date.now() - started < LIVE_TIMEOUT_MS) {
    await sleep(1000);
    s = await statuses(w);
  }
  return { seconds: (Date.now() - started) / 1000, statuses: s };
}

/** APPENDs one mail every 1/RATE s to a random mailbox (not waiting for the previous one); returns when each was answered. */
async function appendPaced(w: BenchWorld, users: ImapCredentials[], tag: string): Promise<Map<string, number>> {
  const appendedAt = new Map<string, number>();
  const pending: Promise<void>[] = [];
  const started = Date.now();
  for (let i = 0; i < MAILS; i += 1) {
    await sleep(Math.max(0, started + (i * 1000) / RATE - Date.now()));
    const id = `many-${tag}-${i}@bench.example`;
    const user = users[Math.floor(Math.random() * users.length)];
    pending.push(appendOne(w.dovecot, user, benchMail(id)).then(() => void appendedAt.set(id, Date.now()), () => undefined));
  }
  await Promise.all(pending);
  return appendedAt;
}

async function observedTimes(w: BenchWorld, ids: string[], timeoutMs: number): Promise<Map<string, { observed: number; filed: number }>> {
  const out = new Map<string, { observed: number; filed: number }>();
  const deadline = Date.now() + timeoutMs;
  while (out.size < ids.length && Date.now() < deadline) {
    const rows: Array<{ id: string; observed: number; created: number }> = await w.env.ds.query(
      `SELECT message_id_header AS id, (extract(epoch FROM received_at) * 1000)::float8 AS observed,
              (extract(epoch FROM created_at) * 1000)::float8 AS created
         FROM messages WHERE tenant_id = $1 AND message_id_header = ANY($2)`, [w.tenantId, ids.filter((id) => !out.has(id))],
    );
    for (const r of rows) out.set(r.id, { observed: Number(r.observed), filed: Number(r.created) });
    if (out.size < ids.length) await sleep(500);
  }
  return out;
}

async function run(w: BenchWorld) {
  const ingressPid = w.pipeline.services.get('ingress')!.process.pid!;
  const rssBefore = rssMiB(ingressPid).rss;
  const started = Date.now();
  const users = await addMailboxes(w);
  const live = await waitLive(w, started);
  const allLive = (live.statuses.live ?? 0) >= MAILBOXES;
  const idleCpu0 = cpuSeconds(ingressPid);
  await sleep(10_000);
  const held = {
    ingressRssMiB: rssMiB(ingressPid).rss,
    ingressHeapMiB: await heapOf(w),
    // Holding the mailboxes: lease renewals (TTL/3), the mailbox list refresh, IDLE keep-alives.
    ingressIdleCpuPercent: Math.round((cpuSeconds(ingressPid) - idleCpu0) * 10),
    dovecotImap: dovecotImapProcesses(w.dovecot.port),
  };
  const liveUsers = allLive ? users : [];
  if (!allLive) return { allLive, live, notLive: await notLive(w), ingressRssMiBBeforeMailboxes: rssBefore, ...held };
  const appendedAt = await appendPaced(w, liveUsers, randomBytes(4).toString('hex'));
  const ids = [...appendedAt.keys()];
  const landed = await observedTimes(w, ids, 120_000);
  const got = ids.filter((id) => landed.has(id));
  return {
    allLive, live, ingressRssMiBBeforeMailboxes: rssBefore, ...held,
    mails: MAILS, ratePerSecond: RATE, appended: ids.length, landed: got.length,
    appendToPointerMs: percentiles(got.map((id) => landed.get(id)!.observed - appendedAt.get(id)!)),
    appendToTicketMs: percentiles(got.map((id) => landed.get(id)!.filed - appendedAt.get(id)!)),
    ingressRssMiBAfter: rssMiB(ingressPid),
  };
}

async function main(): Promise<void> {
  const host = machine();
  // One replica, one host: lift the per-host connection cap (default 500) above the mailbox count.
  // IDLE sessions + the fetcher's pooled connections + the APPENDs, one Dovecot process each.
  const w = await startBenchWorld(
    { INGRESS_MAX_CONNECTIONS_PER_HOST: String(MAILBOXES + 100), ...(values['node-options'] ? { NODE_OPTIONS: values['node-options'] } : {}) },
    { imapSessions: MAILBOXES * 2 + 500 },
  );
  try {
    const result = await run(w);
    const failed = !result.allLive || ('landed' in result && result.landed < MAILS);
    const logs = await w.stop({ keepLogs: failed });
    const warning = Number(host.inotifyMaxUserInstances) < MAILBOXES + 100
      ? `fs.inotify.max_user_instances ${host.inotifyMaxUserInstances} < mailboxes: Dovecot polls the IDLE sessions beyond it every 30 s, which the latency then measures`
      : undefined;
    const nodeOptions = values['node-options'];
    console.log(JSON.stringify({ benchmark: 'imap-mailboxes', machine: host, mailboxes: MAILBOXES, ...(nodeOptions ? { nodeOptions } : {}), ...(warning ? { warning } : {}), ...result, ...(logs ? { logs } : {}) }, null, 2));
    if (failed) process.exitCode = 1;
  } catch (err) {
    await w.stop({ keepLogs: true });
    throw err;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
