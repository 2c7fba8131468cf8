/**
 * `postroom dlq list [--stage s] [--json]` shows dead letters with their
 * reasons; `postroom dlq replay <seq>` puts one back on its original subject.
 */
import { parseArgs } from 'node:util';
import { listDeadLetters, replayDeadLetter } from '@postroom/bus';
import type { StageName } from '@postroom/contracts';
import { withBus } from '../context';
import { printJson, printTable } from '../output';

export async function dlqCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, options: { stage: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const [verb, seq] = positionals;
  await withBus(async (bus) => {
    if (verb === 'replay' && seq) {
      await replayDeadLetter(bus, Number(seq));
      process.stdout.write(`replayed dead letter ${seq}\n`);
      return;
    }
    if (verb !== 'list') throw new Error('usage: postroom dlq list [--stage s] | postroom dlq replay <seq>');
    const letters = await listDeadLetters(bus, { stage: values.stage as StageName | undefined, limit: Number(values.limit ?? 100) });
    if (values.json) return printJson(letters.map(({ data, ...rest }) => ({ ...rest, bytes: data.length })));
    printTable(
      letters.map((l) => ({ seq: l.seq, stage: l.stage, code: l.code, tenant: l.tenantId, time: l.time.toISOString(), reason: l.reason })),
      ['seq', 'stage', 'code', 'tenant', 'time', 'reason'],
    );
  });
}
