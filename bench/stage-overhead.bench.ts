/**
 * What one stage costs per message before its handler does anything: the
 * bus layer (pull, decode, consumer and producer spans, metrics, publish
 * with its PubAck, ack) against the real NATS, with a handler that only
 * maps the event. And, for scale, what the parser's own work costs per
 * bench mail in-process (mailparser, the MailParsed mapping, its encoding).
 * `npm run bench:stage [-- --messages 20000 --rounds 3]`.
 *
 * Each measurement runs in a child process of its own (tracing is
 * registered globally, once), the modes alternating round by round; the
 * result is each mode's median CPU per message, as JSON on stdout.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { publishEvent, runStage, type Bus } from '@postroom/bus';
import { create, MailFetchedSchema, MailParsedSchema, toBinary } from '@postroom/contracts';
import { parseMail, toMailParsed } from '@postroom/mail';
import { createMetrics, startTracing } from '@postroom/telemetry';
import { createTestEnv } from '@postroom/testing';
import { benchMail } from './bench-support';
import { machine } from './imap-bench-proc';

const MODES = {
  /** As a service runs: tracing registered (no exporter), metrics. */
  full: { tracing: true, metrics: true, sampled: true },
  /** The same, for emails the sampler left out (OTEL_TRACES_SAMPLER=parentbased_traceidratio, ratio 0). */
  unsampled: { tracing: true, metrics: true, sampled: false },
  'no-tracing': { tracing: false, metrics: true, sampled: false },
  bare: { tracing: false, metrics: false, sampled: false },
} as const;
type Mode = keyof typeof MODES | 'parse';

const { values } = parseArgs({ options: { messages: { type: 'string' }, rounds: { type: 'string' }, child: { type: 'string' } } });
const MESSAGES = Number(values.messages ?? 20_000);
const ROUNDS = Number(values.rounds ?? 3);

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

async function fill(bus: Bus): Promise<void> {
  for (let i = 0; i < MESSAGES; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, MESSAGES - i) }, (_, j) => {
      const mailId = `m${i + j}`;
      const event = create(MailFetchedSchema, { mail: { tenantId: 't', mailboxId: 'b', mailId }, raw: { key: `t/raw/${mailId}`, size: 200n, sha256: 'x' } });
      return publishEvent(bus, { subject: bus.subjects.mailFetched, schema: MailFetchedSchema, event, msgId: `fetched:${mailId}` }, { tenantId: 't' });
    }));
  }
}

async function drained(bus: Bus): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const info = await bus.jsm.consumers.info(bus.subjects.stream('MAIL'), 'parser');
    if (info.num_pending === 0 && info.num_ack_pending === 0) return;
  }
}

/** CPU ms per message of the `parser` stage consuming MESSAGES small events with a mapping handler. */
async function measureStage(mode: keyof typeof MODES): Promise<number> {
  const { tracing, sampled, metrics } = MODES[mode];
  if (tracing) startTracing({ service: 'bench', sampler: sampled ? undefined : { name: 'parentbased_traceidratio', ratio: 0 } });
  // Its own namespace (and an unused database), removed afterwards; the long stream delete is handled there.
  const env = await createTestEnv();
  const { bus, logger } = env;
  try {
    await fill(bus);
    const started = process.cpuUsage();
    const runner = runStage(bus, {
      stage: 'parser', input: MailFetchedSchema, logger, metrics: metrics ? createMetrics('bench') : undefined,
      tenantOf: (e) => e.mail?.tenantId ?? '',
      handle: async (e) => [{
        subject: bus.subjects.mailParsed, schema: MailParsedSchema, msgId: `parsed:${e.mail?.mailId}`,
        event: create(MailParsedSchema, { mail: e.mail, raw: e.raw, subject: 'Benchmark' }),
      }],
    });
    await drained(bus);
    const ms = cpuMs(started);
    await runner.stop();
    return ms / MESSAGES;
  } finally {
    await env.cleanup();
  }
}

/** CPU ms per bench mail of parseMail + toMailParsed + encoding, 16 at a time as the stage runs them. */
async function measureParse(): Promise<number> {
  const raws = Array.from({ length: Math.min(MESSAGES, 5000) }, (_, i) => new TextEncoder().encode(benchMail(`p${i}@bench.example`)));
  let next = 0;
  const worker = async () => {
    while (next < raws.length) toBinary(MailParsedSchema, toMailParsed(await parseMail(raws[next++])));
  };
  await worker(); // warm-up pass over all of them
  next = 0;
  const started = process.cpuUsage();
  await Promise.all(Array.from({ length: 16 }, worker));
  return cpuMs(started) / raws.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (values.child) {
    const mode = values.child as Mode;
    const perMessage = mode === 'parse' ? await measureParse() : await measureStage(mode);
    console.log(JSON.stringify({ perMessage }));
    return;
  }
  const host = machine();
  const modes: Mode[] = [...(Object.keys(MODES) as Mode[]), 'parse'];
  const runs: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const mode of modes) {
      const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--child', mode, '--messages', String(MESSAGES)], { encoding: 'utf8' });
      runs[mode].push(Math.round(JSON.parse(out.trim().split('\n').at(-1)!).perMessage * 1000) / 1000);
    }
  }
  const cpuMsPerMessage = Object.fromEntries(modes.map((m) => [m, median(runs[m])]));
  console.log(JSON.stringify({ benchmark: 'stage-overhead', machine: host, messages: MESSAGES, rounds: ROUNDS, cpuMsPerMessage, runs }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
