/**
 * Opens a mailbox's IMAP connection from its row and sealed credentials.
 * A mailbox that was deleted or whose settings are unusable cannot be fixed
 * by retrying the pointer: those are terminal (the dead letter keeps it).
 */
import type { ImapFlow } from 'imapflow';
import type { SecretBox } from '@postroom/crypto';
import { getMailbox, readMailboxCredentials, type DataSource } from '@postroom/db';
import { describeError, TerminalError } from '@postroom/errors';
import { imapAuthOf, openImapClient, parseImapSettings, type MailboxImapSettings } from '@postroom/imap';

export interface MailboxConnectorOptions {
  ds: DataSource;
  secrets: SecretBox;
}

export function createMailboxConnector(opts: MailboxConnectorOptions): (tenantId: string, mailboxId: string) => Promise<ImapFlow> {
  return async (tenantId, mailboxId) => {
    const mailbox = await getMailbox(opts.ds, tenantId, mailboxId);
    if (!mailbox) throw new TerminalError('MAILBOX_GONE', `mailbox ${mailboxId} of tenant ${tenantId} no longer exists`);
    let settings: MailboxImapSettings;
    try {
      settings = parseImapSettings(mailbox.settings);
    } catch (err) {
      throw new TerminalError('CONFIG_INVALID', describeError(err), { cause: err });
    }
    const creds = await readMailboxCredentials(opts.ds, opts.secrets, tenantId, mailboxId);
    return openImapClient({ settings: settings.imap, auth: imapAuthOf(creds.imap), id: `fetcher-${mailboxId}` });
  };
}
