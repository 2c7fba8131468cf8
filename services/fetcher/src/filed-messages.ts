/**
 * Reads a filed message and its mailbox in one query by primary keys, for
 * the mailbox-actions stage: the IMAP coordinates the ticketer stored on the
 * row (source_folder, source_uid_validity, source_uid) and the mailbox's
 * settings, which say whether anything is to be done at all. Most mailboxes
 * ask for nothing, and the stage sees every filed email: it first asks
 * `mailbox()`, which keeps a mailbox's settings for MAILBOX_SETTINGS_TTL_MS,
 * so a backfill of thousands of mails reads the mailbox row once every few
 * seconds instead of once per mail.
 */
import type { DataSource } from '@postroom/db';
import { ttlCache } from '@postroom/service';
import type { FiledMessage, FiledMessages, MailboxSettings } from './ports';

/** How stale a mailbox's afterFiled setting may be: a change applies to mail filed a few seconds later. */
export const MAILBOX_SETTINGS_TTL_MS = 5_000;

interface Row {
  mailbox_id: string;
  provider: string;
  settings: unknown;
  source_folder: string | null;
  source_uid_validity: string | null;
  source_uid: string | null;
}

export function createFiledMessages(ds: DataSource, opts: { ttlMs?: number; now?: () => number } = {}): FiledMessages {
  const cached = ttlCache<MailboxSettings | undefined>(opts.ttlMs ?? MAILBOX_SETTINGS_TTL_MS, opts.now);
  return {
    mailbox: (tenantId, mailboxId) =>
      cached(`${tenantId}/${mailboxId}`, async () => {
        const rows: Array<{ provider: string; settings: unknown }> = await ds.query(
          `SELECT provider, settings FROM mailboxes WHERE tenant_id = $1 AND id = $2`,
          [tenantId, mailboxId],
        );
        return rows[0] ? { provider: rows[0].provider, settings: rows[0].settings } : undefined;
      }),
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
