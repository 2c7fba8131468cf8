/**
 * The login for a mailbox's IMAP connections, read from its sealed
 * credentials on every connect so a changed password applies at the next
 * attempt. Credentials never reach a log line.
 */
import type { SecretBox } from '@postroom/crypto';
import { readMailboxCredentials, type DataSource } from '@postroom/db';
import { imapAuthOf, type ImapSettings } from '@postroom/imap';
import type { ImapAccount } from './ports';

export interface AccountSourceOptions {
  ds: DataSource;
  secrets: SecretBox;
  mailbox: { tenantId: string; id: string; address: string };
  settings: ImapSettings;
}

export function createAccountSource(opts: AccountSourceOptions): () => Promise<ImapAccount> {
  return async () => {
    const creds = await readMailboxCredentials(opts.ds, opts.secrets, opts.mailbox.tenantId, opts.mailbox.id);
    return { label: `mailbox-${opts.mailbox.id}`, settings: opts.settings, auth: imapAuthOf(creds.imap) };
  };
}
