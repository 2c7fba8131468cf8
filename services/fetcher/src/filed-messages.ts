/**
 * Reads a filed message and its mailbox in one query by primary keys, for
 * the mailbox-actions stage: the IMAP coordinates the ticketer stored on the
 * row (source_folder, source_uid_validity, source_uid) and the mailbox's
 * settings, which say what is to be done. The stage sees only the messages
 * the ticketer handed on (mailboxes whose settings name afterFiled).
 */
import type { DataSource } from '@postroom/db';
import type { FiledMessage, FiledMessages } from './ports';

interface Row {
  mailbox_id: string;
  provider: string;
  settings: unknown;
  source_folder: string | null;
  source_uid_validity: string | null;
  source_uid: string | null;
}

export function createFiledMessages(ds: DataSource): FiledMessages {
  return {
    async find(tenantId, messageRowId): Promise<FiledMessage | undefined> {
      const rows: Row[] = await ds.query(
        `SELECT b.id AS mailbox_id, b.provider, b.settings, m.source_folder, m.source_uid_validity, m.source_uid
           FROM messages m JOIN mailboxes b ON b.tenant_id = m.tenant_id AND b.id = m.mailbox_id
          WHERE m.tenant_id = $1 AND m.id = $2`,
        [tenantId, messageRowId],
      );
      const row = rows[0];
      if (!row) return undefined;
      const located = row.source_folder !== null && row.source_uid_validity !== null && row.source_uid !== null;
      return {
        tenantId,
        mailboxId: row.mailbox_id,
        provider: row.provider,
        settings: row.settings,
        source: located ? { folder: row.source_folder!, uidValidity: Number(row.source_uid_validity), uid: Number(row.source_uid) } : null,
      };
    },
  };
}
