/**
 * `postroom import <mbox | Maildir | folder of .eml | file.eml> --mailbox <address> [--tenant slug] [--concurrency n]`
 *
 * Moves a backlog from another helpdesk through the same pipeline as live
 * mail (see import/import-mails.ts): raw bytes to the blob store, one
 * MailPointer per message, no auto-responses. Running it again is harmless:
 * the same messages get the same mail ids.
 */
import { parseArgs } from 'node:util';
import { openBlobStore } from '@postroom/blob';
import type { DataSource } from '@postroom/db';
import { withBus, withDatabase } from '../context';
import { importMails, type ImportSummary, type ImportTarget } from '../import/import-mails';
import { openMailSource } from '../import/mail-source';
import { requireMailbox } from './tenant';

const USAGE = 'usage: postroom import <mbox | Maildir | folder of .eml> --mailbox <address> [--tenant slug] [--concurrency 16]';

async function resolveTarget(ds: DataSource, tenant: string | undefined, address: string): Promise<ImportTarget> {
  const mailbox = await requireMailbox(ds, tenant, address);
  return { tenantId: mailbox.tenantId, mailboxId: mailbox.id };
}

const totals = (s: Readonly<ImportSummary>) =>
  `${s.read} read, ${s.imported} imported, ${s.duplicates} duplicates skipped, ${s.failed.length} failed`;

/** A progress line on stderr at most once a second, so a large archive shows it is moving. */
function progressPrinter(): (s: Readonly<ImportSummary>) => void {
  let last = 0;
  return (s) => {
    if (Date.now() - last < 1000) return;
    last = Date.now();
    process.stderr.write(`importing: ${totals(s)}\n`);
  };
}

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { mailbox: { type: 'string' }, tenant: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const concurrency = Number(values.concurrency ?? 16);
  if (positionals.length !== 1 || !values.mailbox || !Number.isInteger(concurrency) || concurrency < 1) throw new Error(USAGE);
  const source = await openMailSource(positionals[0]);
  const target = await withDatabase((ds) => resolveTarget(ds, values.tenant, values.mailbox!));
  const summary = await withBus(async (bus, config) =>
    importMails({ bus, blobs: await openBlobStore(config, bus), target, mails: source.mails, concurrency, onProgress: progressPrinter() }),
  );
  process.stdout.write(`import of ${positionals[0]} (${source.kind}) into ${values.mailbox}: ${totals(summary)}\n`);
  for (const f of summary.failed) process.stdout.write(`  failed ${f.label}: ${f.reason}\n`);
  if (summary.failed.length > 0) throw new Error(`${summary.failed.length} message(s) failed to import; run the import again to retry them`);
}
