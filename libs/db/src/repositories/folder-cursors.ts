/**
 * Per-folder sync cursors. RFC 3501 §2.3.1.1: UIDs only mean something
 * together with UIDVALIDITY; when it changes, every earlier UID is void, so
 * the cursor restarts from the new value. For the same UIDVALIDITY the cursor
 * only moves forward, so a late or replayed save cannot make the ingress
 * publish the same UIDs again as "new".
 */
import { MailboxFolderEntity, type FolderCursor } from '../entities/mailbox-folder.entity';
import type { Db } from './db-handle';

export interface FolderCursorUpdate {
  uidValidity: number;
  lastUid: number;
  /** RFC 7162 HIGHESTMODSEQ, when the server supports CONDSTORE. */
  highestModseq?: bigint | null;
}

export async function getFolderCursor(
  ds: Db,
  tenantId: string,
  mailboxId: string,
  folder: string,
): Promise<FolderCursor | undefined> {
  return (await ds.getRepository(MailboxFolderEntity).findOneBy({ tenantId, mailboxId, folder })) ?? undefined;
}

// GREATEST ignores NULLs, so an update without a modseq keeps the stored one.
const UPSERT = `
  INSERT INTO mailbox_folders AS f (tenant_id, mailbox_id, folder, uid_validity, last_uid, highest_modseq, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, now())
  ON CONFLICT (tenant_id, mailbox_id, folder) DO UPDATE SET
    last_uid = CASE WHEN f.uid_validity IS DISTINCT FROM EXCLUDED.uid_validity
      THEN EXCLUDED.last_uid ELSE GREATEST(f.last_uid, EXCLUDED.last_uid) END,
    highest_modseq = CASE WHEN f.uid_validity IS DISTINCT FROM EXCLUDED.uid_validity
      THEN EXCLUDED.highest_modseq ELSE GREATEST(f.highest_modseq, EXCLUDED.highest_modseq) END,
    uid_validity = EXCLUDED.uid_validity,
    updated_at = now()
  RETURNING tenant_id, mailbox_id, folder, uid_validity, last_uid, highest_modseq, updated_at`;

interface CursorRow {
  tenant_id: string;
  mailbox_id: string;
  folder: string;
  uid_validity: string | null;
  last_uid: string;
  highest_modseq: string | null;
  updated_at: Date;
}

/**
 * Stores the cursor and returns what is stored now: last_uid never moves
 * backwards for the same UIDVALIDITY, and resets when UIDVALIDITY changes.
 */
export async function saveFolderCursor(
  ds: Db,
  tenantId: string,
  mailboxId: string,
  folder: string,
  update: FolderCursorUpdate,
): Promise<FolderCursor> {
  const modseq = update.highestModseq === undefined || update.highestModseq === null ? null : update.highestModseq.toString();
  const rows = (await ds.query(UPSERT, [tenantId, mailboxId, folder, update.uidValidity, update.lastUid, modseq])) as CursorRow[];
  const row = rows[0];
  return {
    tenantId: row.tenant_id,
    mailboxId: row.mailbox_id,
    folder: row.folder,
    uidValidity: row.uid_validity === null ? null : Number(row.uid_validity),
    lastUid: Number(row.last_uid),
    highestModseq: row.highest_modseq === null ? null : BigInt(row.highest_modseq),
    updatedAt: row.updated_at,
  };
}

/** Every folder cursor of a mailbox, by folder name. */
export async function listFolderCursors(ds: Db, tenantId: string, mailboxId: string): Promise<FolderCursor[]> {
  return ds.getRepository(MailboxFolderEntity).find({ where: { tenantId, mailboxId }, order: { folder: 'ASC' } });
}
