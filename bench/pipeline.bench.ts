/**
 * End-to-end benchmark: emails APPENDed to a real Dovecot become tickets
 * through the seven services running as their own processes on real NATS
 * and PostgreSQL. `npm run bench [-- --paced 100 --burst 1000 --rate 10]`.
 *
 * Phase 1 (paced): one email every 1/rate s, to measure arrival→pointer and
 * arrival→ticket latency without queueing. Phase 2 (burst): many emails at
 * once, to measure throughput. Reports p50/p95/p99 and peak RSS (VmHWM) per
 * service, as JSON on stdout.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ImapFlow } from 'imapflow';
import { startDovecot } from '@postroom/testing';
import { startE2E, type E2E } from '../libs/testing/e2e/e2e-harness';
import { benchMail, percentiles, waitForTickets } from './bench-support';

const { values } = parseArgs({ options: { paced: { type: 'string' }, burst: { type: 'string' }, rate: { type: 'string' } } });
const PACED = Number(values.paced ?? 100);
const BURST = Number(values.burst ?? 1000);
const RATE = Number(values.rate ?? 10);

async function imapClient(e2e: E2E, port: number): Promise<ImapFlow> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: e2e.imap.user, pass: e2e.imap.password }, logger: false });
  await client.connect();
  return client;
}

async function appendAll(client: ImapFlow, ids: string[], gapMs: number): Promise<Map<string, number>> {
  const appendedAt = new Map<string, number>();
  for (const id of ids) {
    const started = Date.now();
    await client.append('INBOX', benchMail(id));
    appendedAt.set(id, Date.now());
    if (gapMs > 0) await new Promise((r) => setTimeout(r, Math.max(0, gapMs - (Date.now() - started))));
  }
  return appendedAt;
}

function peakRss(e2e: E2E): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, service] of e2e.pipeline.services) {
    const status = readFileSync(`/proc/${service.process.pid}/status`, 'utf8');
    out[name] = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  }
  return out;
}

/** Mean handler time per stage from each service's /metrics: where the time goes. */
async function stageMeans(e2e: E2E): Promise<Record<string, { handled: number; meanMs: number }>> {
  const out: Record<string, { handled: number; meanMs: number }> = {};
  for (const [name, service] of e2e.pipeline.services) {
    const text = await fetch(`http://127.0.0.1:${service.healthPort}/metrics`).then((r) => r.text());
    const sum = Number(/_stage_handle_seconds_sum\{[^}]*\} ([\d.e+-]+)/.exec(text)?.[1] ?? NaN);
    const count = Number(/_stage_handle_seconds_count\{[^}]*\} ([\d.e+-]+)/.exec(text)?.[1] ?? NaN);
    if (count > 0) out[name] = { handled: count, meanMs: Math.round((sum / count) * 10_000) / 10 };
  }
  return out;
}

async function phase(e2e: E2E, client: ImapFlow, name: string, count: number, gapMs: number) {
  const ids = Array.from({ length: count }, (_, i) => `${name}-${i}-${Date.now()}@bench.example`);
  const started = Date.now();
  const appendedAt = await appendAll(client, ids, gapMs);
  const done = await waitForTickets(e2e, ids, 600_000);
  const finished = Math.max(...[...done.values()].map((t) => t.ticketAt));
  const toTicket = ids.map((id) => done.get(id)!.ticketAt - appendedAt.get(id)!);
  const toPointer = ids.map((id) => done.get(id)!.observedAt - appendedAt.get(id)!);
  return {
    emails: count,
    seconds: (finished - started) / 1000,
    // When the APPENDs alone take most of `seconds`, the rate is the IMAP server's, not the pipeline's.
    appendSeconds: (Math.max(...appendedAt.values()) - started) / 1000,
    emailsPerSecond: Math.round((count / ((finished - started) / 1000)) * 10) / 10,
    arrivalToPointerMs: percentiles(toPointer),
    arrivalToTicketMs: percentiles(toTicket),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'postroom-bench-'));
  const dovecot = await startDovecot(dir);
  const e2e = await startE2E(dovecot);
  const client = await imapClient(e2e, dovecot.port);
  try {
    const paced = await phase(e2e, client, 'paced', PACED, 1000 / RATE);
    const burst = await phase(e2e, client, 'burst', BURST, 0);
    console.log(JSON.stringify({ paced, burst, stageHandleMs: await stageMeans(e2e), peakRssMiB: peakRss(e2e) }, null, 2));
  } finally {
    await client.logout();
    await e2e.stop();
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
