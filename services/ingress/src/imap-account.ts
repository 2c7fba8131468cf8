/**
 * The login for a mailbox's IMAP connections, read from its sealed
 * credentials on every connect so a changed password applies at the next
 * attempt; for XOAUTH2 the access token is refreshed when it is about to
 * expire or was refused, and the new tokens are stored sealed at once.
 * Credentials never reach a log line.
 */
import type { SecretBox } from '@postroom/crypto';
import { readMailboxCredentials, updateMailboxCredentials, type DataSource } from '@postroom/db';
import { createImapLogin, type ImapSettings, type OAuthCredentialsRecord } from '@postroom/imap';
import type { ImapAccount } from './ports';

export interface AccountSourceOptions {
  ds: DataSource;
  secrets: SecretBox;
  mailbox: { tenantId: string; id: string; address: string };
  settings: ImapSettings;
}

export function createAccountSource(opts: AccountSourceOptions): () => Promise<ImapAccount> {
  const { ds, secrets, mailbox } = opts;
  const readAll = () => readMailboxCredentials(ds, secrets, mailbox.tenantId, mailbox.id);
  const login = createImapLogin({
    settings: opts.settings,
    read: async () => (await readAll()).imap as OAuthCredentialsRecord | undefined,
    save: async (imap) => void (await updateMailboxCredentials(ds, secrets, mailbox, { ...(await readAll()), imap: imap as never })),
  });
  let refused = false;
  return async () => {
    const auth = await login(refused);
    refused = false;
    return { label: `mailbox-${mailbox.id}`, settings: opts.settings, auth, refused: () => (refused = true) };
  };
}
