/**
 * Repairs an operator makes after a mailbox failed: `resume` (a paused or
 * failed mailbox back to `connecting`; ingress picks it up at its next list
 * refresh), `set-password` (new IMAP/SMTP password, sealed with the current
 * key), and `postroom rotate-key` (re-seal every credential sealed with a
 * previous key, after ENCRYPTION_PREVIOUS_KEYS was set).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readMailboxCredentials, resealMailboxCredentials, setMailboxStatus, updateMailboxCredentials } from '@postroom/db';
import { loadSecretBox, withDatabase } from '../context';
import { requireMailbox } from './tenant';

export async function resumeMailbox(tenant: string | undefined, address: string): Promise<string> {
  return withDatabase(async (ds) => {
    const mailbox = await requireMailbox(ds, tenant, address);
    await setMailboxStatus(ds, mailbox.tenantId, mailbox.id, { status: 'connecting', lastError: null });
    return `mailbox ${mailbox.address} was ${mailbox.status}; now connecting (ingress picks it up at its next refresh)`;
  });
}

/** `--password-file f` (or `--password p`) for `--account imap|smtp|both` (default both). */
export async function setMailboxPassword(args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { tenant: { type: 'string' }, password: { type: 'string' }, 'password-file': { type: 'string' }, account: { type: 'string' } },
  });
  const password = values['password-file'] ? readFileSync(values['password-file'], 'utf8').trim() : values.password;
  const accounts = values.account === 'imap' || values.account === 'smtp' ? [values.account] : ['imap', 'smtp'];
  if (!positionals[0] || !password) throw new Error('usage: postroom mailbox set-password <address> --password-file f [--account imap|smtp]');
  const box = loadSecretBox();
  return withDatabase(async (ds) => {
    const mailbox = await requireMailbox(ds, values.tenant, positionals[0]);
    const credentials = await readMailboxCredentials(ds, box, mailbox.tenantId, mailbox.id);
    for (const account of accounts) {
      const current = credentials[account] as { user?: string } | undefined;
      if (current) credentials[account] = { ...current, password };
    }
    await updateMailboxCredentials(ds, box, { tenantId: mailbox.tenantId, id: mailbox.id }, credentials);
    // A changed credential is the config change that ends a pause (issue 3): ingress retries at its next refresh.
    const resumed = mailbox.status === 'paused' || mailbox.status === 'error';
    if (resumed) await setMailboxStatus(ds, mailbox.tenantId, mailbox.id, { status: 'connecting', lastError: null });
    return `stored a new ${accounts.join(' and ')} password for ${mailbox.address}${resumed ? `; it was ${mailbox.status}, now connecting` : ''}`;
  });
}

export async function rotateKeyCommand(): Promise<void> {
  const box = loadSecretBox();
  const count = await withDatabase((ds) => resealMailboxCredentials(ds, box));
  process.stdout.write(`re-sealed ${count} mailbox credential(s) with the current key\n`);
}
