/**
 * Per-folder sync state of a mailbox (IMAP: RFC 3501 UIDVALIDITY and the
 * highest UID published; RFC 7162 HIGHESTMODSEQ when CONDSTORE is on). The
 * ingress advances it only after JetStream acked the pointers.
 */
import { EntitySchema } from 'typeorm';
import { bigintExact, bigintNumber, pkText, pkUuid, updatedAt } from './columns';

export interface FolderCursor {
  tenantId: string;
  mailboxId: string;
  folder: string;
  uidValidity: number | null;
  lastUid: number;
  highestModseq: bigint | null;
  /** A backfill or resync under way: its UIDVALIDITY, lowest UID published so far, and the UID it covers up to. */
  backfillUidValidity: number | null;
  backfillBelowUid: number | null;
  backfillUptoUid: number | null;
  updatedAt: Date;
}

export const MailboxFolderEntity = new EntitySchema<FolderCursor>({
  name: 'MailboxFolder',
  tableName: 'mailbox_folders',
  columns: {
    tenantId: pkUuid('tenant_id', 'pk_mailbox_folders'),
    mailboxId: pkUuid('mailbox_id', 'pk_mailbox_folders'),
    folder: pkText('folder', 'pk_mailbox_folders'),
    uidValidity: bigintNumber('uid_validity'),
    lastUid: { ...bigintNumber('last_uid', false), default: 0 },
    highestModseq: bigintExact('highest_modseq'),
    backfillUidValidity: bigintNumber('backfill_uid_validity'),
    backfillBelowUid: bigintNumber('backfill_below_uid'),
    backfillUptoUid: bigintNumber('backfill_upto_uid'),
    updatedAt: updatedAt(),
  },
  foreignKeys: [
    {
      name: 'fk_mailbox_folders_mailbox',
      target: 'Mailbox',
      columnNames: ['tenantId', 'mailboxId'],
      referencedColumnNames: ['tenantId', 'id'],
      onDelete: 'CASCADE',
    },
  ],
});
