/**
 * Opens a mailbox's IMAP connection from its row and sealed credentials.
 * A mailbox that was deleted or whose settings are unusable cannot be fixed
 * by retrying the pointer: those are terminal (the dead letter keeps it).
 */
import type { ImapFlow } from 'imapflow';
import type { SecretBox } from '@postroom/crypto';
import { getMailbox, readMailboxCredentials, updateMailboxCredentials, type DataSource } from '@postroom/db';
import { describeError, TerminalError } from '@postroom/errors';
import { createImapLogin, isAccountFailure, openImapClient, parseImapSettings, type MailboxImapSettings, type OAuthCredentialsRecord } from '@postroom/imap';

export interface MailboxConnectorOptions {
  ds: DataSource;
  secrets: SecretBox;
}

export function createMailboxConnector(opts: MailboxConnectorOptions): (tenantId: string, mailboxId: string) => Promise<ImapFlow> {
  /** Mailboxes whose last login was refused: the next one refreshes an XOAUTH2 token. */
  const refused = new Set<string>();
  return async (tenantId, mailboxId) => {
    const mailbox = await getMailbox(opts.ds, tenantId, mailboxId);
    if (!mailbox) throw new TerminalError('MAILBOX_GONE', `mailbox ${mailboxId} of tenant ${tenantId} no longer exists`);
    let settings: MailboxImapSettings;
    try {
      settings = parseImapSettings(mailbox.settings);
    } catch (err) {
      throw new TerminalError('CONFIG_INVALID', describeError(err), { cause: err });
    }
    const ref = { tenantId, id: mailboxId };
    const readAll = () => readMailboxCredentials(opts.ds, opts.secrets, tenantId, mailboxId);
    const login = createImapLogin({
      settings: settings.imap,
      read: async () => (await readAll()).imap as OAuthCredentialsRecord | undefined,
      save: async (imap) => void (await updateMailboxCredentials(opts.ds, opts.secrets, ref, { ...(await readAll()), imap: imap as never })),
    });
    const key = `${tenantId}/${mailboxId}`;
    const auth = await login(refused.delete(key));
    return openImapClient({ settings: settings.imap, auth, id: `fetcher-${mailboxId}` }).catch((err: unknown) => {
      if (isAccountFailure(err)) refused.add(key);
      throw err;
    });
  };
}
