/**
 * `postroom mailbox add|list|test|deliver`: manage IMAP mailboxes.
 *
 *   add --address a@b --imap-host h [--imap-port 993] [--imap-user u] --imap-password p
 *       [--imap-insecure] [--smtp-host h --smtp-port 587 --smtp-user u --smtp-password p]
 *       [--name n] [--display-name "Support"] [--folders INBOX,Support] [--tenant slug]
 *   list [--tenant slug] [--json]
 *   test <address> [--tenant slug]          logs in over IMAP (and SMTP when configured)
 *   deliver <address> [file.eml] [--tenant slug]   APPENDs a mail to its INBOX (demo, tests)
 *   resume <address>                        a paused/failed mailbox back to connecting
 *   set-password <address> --password-file f [--account imap|smtp]
 *
 * Passwords can come from files (`--imap-password-file`) so they stay out of
 * shell history; they are sealed with ENCRYPTION_KEY before they are stored.
 * One given inline that begins with `-` needs the `--imap-password=-…` form,
 * or parseArgs takes it for an option and refuses it as ambiguous.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listMailboxes } from '@postroom/db';
import { withDatabase } from '../context';
import { printJson, printTable } from '../output';
import { addMailbox, MAILBOX_ADD_OPTIONS } from './mailbox-add';
import { resumeMailbox, setMailboxPassword } from './mailbox-admin';
import { deliverSample, testMailbox } from './mailbox-connect';
import { requireTenantId } from './tenant';

const secret = (value: string | undefined, file: string | undefined) =>
  file ? readFileSync(file, 'utf8').trim() : value;

export async function mailboxCommand(args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === 'set-password') {
    process.stdout.write(`${await setMailboxPassword(rest)}\n`);
    return;
  }
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: MAILBOX_ADD_OPTIONS });
  if (verb === 'add') {
    const mailbox = await addMailbox({
      ...values,
      'imap-password': secret(values['imap-password'], values['imap-password-file']),
      'smtp-password': secret(values['smtp-password'], values['smtp-password-file']),
    });
    process.stdout.write(`added mailbox ${mailbox.address} (${mailbox.id})\n`);
  } else if (verb === 'list') {
    await withDatabase(async (ds) => {
      const mailboxes = await listMailboxes(ds, await requireTenantId(ds, values.tenant));
      if (values.json) return printJson(mailboxes);
      printTable(
        mailboxes.map((m) => ({ id: m.id, address: m.address, provider: m.provider, status: m.status, connected_at: m.connectedAt?.toISOString(), last_error: m.lastError })),
        ['id', 'address', 'provider', 'status', 'connected_at', 'last_error'],
      );
    });
  } else if (verb === 'test' && positionals[0]) {
    process.stdout.write(`${await testMailbox(values.tenant, positionals[0])}\n`);
  } else if (verb === 'resume' && positionals[0]) {
    process.stdout.write(`${await resumeMailbox(values.tenant, positionals[0])}\n`);
  } else if (verb === 'deliver' && positionals[0]) {
    process.stdout.write(`${await deliverSample(values.tenant, positionals[0], positionals[1])}\n`);
  } else {
    throw new Error('usage: postroom mailbox add|list|test <address>|deliver <address> [file.eml]|resume <address>|set-password <address>');
  }
}
