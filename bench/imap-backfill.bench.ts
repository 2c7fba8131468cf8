/**
 * Backfill benchmark (issue 3): a 10,000-message IMAP folder becomes tickets
 * through the seven services running as processes on a real Dovecot, NATS
 * and PostgreSQL. The folder is seeded straight into the user's Maildir;
 * then the mailbox is added with `backfill: all` and the clock runs until
 * every message has its row. `npm run bench:backfill [-- --messages 10000]`.
 * Prints JSON: emails/s into tickets, time to the last pointer, CPU seconds
 * and peak RSS per service, and how busy the machine's cores were.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createImapUser } from '@postroom/testing';
import { benchMail } from './bench-support';
import { busyShare, cpuNow, eachService, infraCpu, machine, machineTicks, serviceUsage, since, sleep, startBenchWorld, seedMaildir, startS3, writeCalls, type BenchWorld } from './imap-bench-support';

const { values } = parseArgs({
  options: {
    messages: { type: 'string' }, 'timeout-s': { type: 'string' },
    /** `nats` (the embedded JetStream store, default) or `s3` (s3rver in the bench process). */
    blob: { type: 'string' },
    /** NODE_OPTIONS for the services, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the CPU goes. */
    'node-options': { type: 'string' },
  },
});
const MESSAGES = Number(values.messages ?? 10_000);
const TIMEOUT_MS = Number(values['timeout-s'] ?? 900) * 1000;

async function counts(w: BenchWorld, mailboxId: string): Promise<{ rows: number; pointers: number }> {
  const [{ n }]: Array<{ n: string }> = await w.env.ds.query(
    `SELECT count(*) AS n FROM messages WHERE tenant_id = $1 AND mailbox_id = $2`, [w.tenantId, mailboxId],
  );
  const info = await w.env.bus.jsm.streams.info(w.env.bus.subjects.stream('MAIL'), { subjects_filter: w.env.bus.subjects.mailPointer('imap') });
  return { rows: Number(n), pointers: Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0) };
}

/** Messages waiting for each MAIL stage (num_pending + in flight): where the queue builds up. */
async function backlog(w: BenchWorld): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const stage of ['fetcher', 'parser', 'classifier', 'ticketer'] as const) {
    const info = await w.env.bus.jsm.consumers.info(w.env.bus.subjects.stream('MAIL'), stage);
    out[stage] = info.num_pending + info.num_ack_pending;
  }
  return out;
}

/** Polls until every message has its row (or the timeout): when the first row and the last pointer came, and the backlogs. */
async function watch(w: BenchWorld, mailboxId: string, started: number) {
  let firstRowAt = 0;
  let pointersDoneAt = 0;
  const progress: Array<{ s: number; rows: number; backlog: Record<string, number> }> = [];
  let c = { rows: 0, pointers: 0 };
  while (c.rows < MESSAGES && Date.now() - started < TIMEOUT_MS) {
    await sleep(250);
    c = await counts(w, mailboxId);
    if (!firstRowAt && c.rows > 0) firstRowAt = Date.now();
    if (!pointersDoneAt && c.pointers >= MESSAGES) pointersDoneAt = Date.now();
    const s = Math.round((Date.now() - started) / 1000);
    if (s % 10 === 0 && progress.at(-1)?.s !== s) progress.push({ s, rows: c.rows, backlog: await backlog(w) });
  }
  return { rows: c.rows, firstRowAt, pointersDoneAt, progress };
}

/**
 * CPU per filed email, in ms, of every process and in all: the number that
 * compares across machines (emails/s ≈ cores × busy share / CPU per email).
 * PostgreSQL and NATS are shared with whatever else runs on the machine:
 * their share is an upper bound.
 */
function cpuPerEmail(services: ReturnType<typeof serviceUsage>, infraCpuSeconds: Record<string, number>, rows: number) {
  const perEmail = (seconds: number) => Math.round((seconds / Math.max(1, rows)) * 1e5) / 100;
  const { bench: _bench, ...infra } = infraCpuSeconds;
  const byProcess = Object.fromEntries([
    ...Object.entries(services).map(([name, u]) => [name, perEmail(u.cpuSeconds)] as const),
    ...Object.entries(infra).map(([name, s]) => [name, perEmail(s)] as const),
  ]);
  const total = Object.values(byProcess).reduce((a, b) => a + b, 0);
  return { services, infraCpuSeconds, cpuMsPerEmail: Math.round(total * 100) / 100, cpuMsPerEmailByProcess: byProcess };
}

/** A count per filed email, to a tenth. */
const perEmailCount = (n: number, rows: number) => Math.round((n / Math.max(1, rows)) * 10) / 10;
const perEmailCounts = (counts: Record<string, number>, rows: number) =>
  Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, perEmailCount(n, rows)]));

async function run(w: BenchWorld) {
  const creds = createImapUser(w.dovecot, 'backfill');
  const tag = randomBytes(4).toString('hex');
  const seedStarted = Date.now();
  seedMaildir(w.dovecot.dir, creds.user, MESSAGES, (i) => benchMail(`backfill-${tag}-${i}@bench.example`));
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  const [cpu0, infra0, api0, ticks0] = [cpuNow(w.pipeline), infraCpu(w.dovecot.port), (await w.env.bus.jsm.getAccountInfo()).api.total, machineTicks()];
  const writes0 = eachService(w.pipeline, writeCalls);
  const started = Date.now();
  const mailbox = await w.addMailbox(creds.user, creds.password, { backfill: { mode: 'all' } });
  const { rows, firstRowAt, pointersDoneAt, progress } = await watch(w, mailbox.id, started);
  const seconds = (Date.now() - started) / 1000;
  const steady = firstRowAt ? (Date.now() - firstRowAt) / 1000 : seconds;
  // JetStream API requests (stream/consumer create and info, message get, purge), not publishes, acks or
  // direct gets (the stream answers those itself; NATS 2.9 does not count them); account-wide.
  const jsApiRequests = (await w.env.bus.jsm.getAccountInfo()).api.total - api0;
  return {
    messages: MESSAGES, filed: rows, complete: rows >= MESSAGES, seedSeconds, seconds,
    emailsPerSecond: Math.round((rows / seconds) * 10) / 10,
    emailsPerSecondAfterFirstTicket: Math.round((rows / steady) * 10) / 10,
    firstTicketAfterSeconds: firstRowAt ? (firstRowAt - started) / 1000 : null,
    allPointersAfterSeconds: pointersDoneAt ? (pointersDoneAt - started) / 1000 : null,
    machineBusyPercent: busyShare(ticks0, machineTicks()),
    ...cpuPerEmail(serviceUsage(w.pipeline, cpu0), since(infra0, infraCpu(w.dovecot.port)), rows),
    jsApiRequestsPerEmail: perEmailCount(jsApiRequests, rows),
    writeCallsPerEmailByService: perEmailCounts(since(writes0, eachService(w.pipeline, writeCalls)), rows),
    progress,
  };
}

async function main(): Promise<void> {
  const host = machine();
  const blob = values.blob ?? 'nats';
  const s3 = blob === 's3' ? await startS3(mkdtempSync(join(tmpdir(), 'postroom-bench-s3-'))) : undefined;
  // The mailbox is added while ingress runs: re-read the list every second, so pickup is not what is measured.
  const w = await startBenchWorld({
    INGRESS_REFRESH_MS: '1000', ...s3?.env, ...(values['node-options'] ? { NODE_OPTIONS: values['node-options'] } : {}),
  });
  try {
    const result = await run(w);
    console.log(JSON.stringify({ benchmark: 'imap-backfill', machine: host, blob, ...result }, null, 2));
    if (!result.complete) process.exitCode = 1;
  } finally {
    await w.stop();
    await s3?.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
