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
import { parseArgs } from 'node:util';
import { createImapUser } from '@postroom/testing';
import { benchMail } from './bench-support';
import { busyShare, cpuNow, machine, machineTicks, serviceUsage, sleep, startBenchWorld, seedMaildir, type BenchWorld } from './imap-bench-support';

const { values } = parseArgs({ options: { messages: { type: 'string' }, 'timeout-s': { type: 'string' } } });
const MESSAGES = Number(values.messages ?? 10_000);
const TIMEOUT_MS = Number(values['timeout-s'] ?? 900) * 1000;

async function counts(w: BenchWorld, mailboxId: string): Promise<{ rows: number; pointers: number }> {
  const [{ n }]: Array<{ n: string }> = await w.env.ds.query(
    `SELECT count(*) AS n FROM messages WHERE tenant_id = $1 AND mailbox_id = $2`, [w.tenantId, mailboxId],
  );
  const info = await w.env.bus.jsm.streams.info(w.env.bus.subjects.stream('MAIL'), { subjects_filter: w.env.bus.subjects.mailPointer('imap') });
  return { rows: Number(n), pointers: Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0) };
}

async function run(w: BenchWorld) {
  const creds = createImapUser(w.dovecot, 'backfill');
  const tag = randomBytes(4).toString('hex');
  const seedStarted = Date.now();
  seedMaildir(w.dovecot.dir, creds.user, MESSAGES, (i) => benchMail(`backfill-${tag}-${i}@bench.example`));
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  const cpu0 = cpuNow(w.pipeline);
  const ticks0 = machineTicks();
  const started = Date.now();
  const mailbox = await w.addMailbox(creds.user, creds.password, { backfill: { mode: 'all' } });
  let firstRowAt = 0;
  let pointersDoneAt = 0;
  const progress: Array<{ s: number; rows: number }> = [];
  let c = { rows: 0, pointers: 0 };
  while (c.rows < MESSAGES && Date.now() - started < TIMEOUT_MS) {
    await sleep(250);
    c = await counts(w, mailbox.id);
    if (!firstRowAt && c.rows > 0) firstRowAt = Date.now();
    if (!pointersDoneAt && c.pointers >= MESSAGES) pointersDoneAt = Date.now();
    const s = Math.round((Date.now() - started) / 1000);
    if (s % 5 === 0 && progress.at(-1)?.s !== s) progress.push({ s, rows: c.rows });
  }
  const seconds = (Date.now() - started) / 1000;
  const steady = firstRowAt ? (Date.now() - firstRowAt) / 1000 : seconds;
  return {
    messages: MESSAGES,
    filed: c.rows,
    complete: c.rows >= MESSAGES,
    seedSeconds,
    seconds,
    emailsPerSecond: Math.round((c.rows / seconds) * 10) / 10,
    emailsPerSecondAfterFirstTicket: Math.round((c.rows / steady) * 10) / 10,
    firstTicketAfterSeconds: firstRowAt ? (firstRowAt - started) / 1000 : null,
    allPointersAfterSeconds: pointersDoneAt ? (pointersDoneAt - started) / 1000 : null,
    machineBusyPercent: busyShare(ticks0, machineTicks()),
    services: serviceUsage(w.pipeline, cpu0),
    progress,
  };
}

async function main(): Promise<void> {
  const host = machine();
  const w = await startBenchWorld();
  try {
    const result = await run(w);
    console.log(JSON.stringify({ benchmark: 'imap-backfill', machine: host, ...result }, null, 2));
    if (!result.complete) process.exitCode = 1;
  } finally {
    await w.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
