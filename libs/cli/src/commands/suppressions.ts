/**
 * `postroom suppressions list [--tenant slug] [--all] [--json]` shows the
 * addresses the sender will not mail (a permanent bounce of our mail put
 * them there) and until when; `--all` includes expired entries.
 * `postroom suppressions remove <address> [--tenant slug]` lifts one, e.g.
 * after the customer fixed their mailbox; a failed send can then be
 * re-queued with `postroom outbound retry <message-id>`.
 */
import { parseArgs } from 'node:util';
import { listSuppressions, removeSuppression } from '@postroom/db';
import { withDatabase } from '../context';
import { printJson, printTable } from '../output';
import { requireTenantId } from './tenant';

const USAGE = 'usage: postroom suppressions list [--tenant slug] [--all] [--json] | postroom suppressions remove <address> [--tenant slug]';

export async function suppressionsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, options: { tenant: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const [verb, address] = positionals;
  if (verb !== 'list' && !(verb === 'remove' && address)) throw new Error(USAGE);
  await withDatabase(async (ds) => {
    const tenantId = await requireTenantId(ds, values.tenant);
    if (verb === 'remove') {
      if (!(await removeSuppression(ds, tenantId, address))) throw new Error(`${address} is not on the suppression list`);
      process.stdout.write(`removed ${address.trim().toLowerCase()} from the suppression list\n`);
      return;
    }
    const rows = await listSuppressions(ds, tenantId, { includeExpired: values.all });
    if (values.json) return printJson(rows);
    printTable(
      rows.map((r) => ({
        address: r.address, status: r.statusCode, since: r.createdAt.toISOString(), until: r.expiresAt.toISOString(),
        bounced_message: r.bouncedMessageId, reason: r.reason,
      })),
      ['address', 'status', 'since', 'until', 'bounced_message', 'reason'],
    );
  });
}
