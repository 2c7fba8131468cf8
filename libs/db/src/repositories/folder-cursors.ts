/**
 * Per-folder sync cursors. RFC 3501 §2.3.1.1: UIDs only mean something
 * together with UIDVALIDITY; when it changes, every earlier UID is void, so
 * the cursor restarts from the new value. For the same UIDVALIDITY the cursor
 * only moves forward, so a late or replayed save cannot make the ingress
 * publish the same UIDs again as "new".
 *
 * Every write may carry the writer's lease fence (mailbox-fence.ts): it then
 * happens only while that fence is the one stored on the mailbox, checked in
 * the same statement under a share lock on the mailbox row, so a takeover's
 * `claimMailboxFence` and a stale owner's write cannot interleave.
 */
import { MailboxFolderEntity, type FolderCursor } from '../entities/mailbox-folder.entity';
import type { Db } from './db-handle';
import { FENCE_HOLDS, type MailboxFence } from './mailbox-fence';

export interface FolderCursorUpdate {
  uidValidity: number;
  lastUid: number;
  /** RFC 7162 HIGHESTMODSEQ, when the server supports CONDSTORE. */
  highestModseq?: bigint | null;
}

/** How far a newest-first backfill or resync got: every UID in [belowUid, uptoUid] is published. */
export interface BackfillProgress {
  uidValidity: number;
  belowUid: number;
  uptoUid: number;
}

export async function getFolderCursor(
  ds: Db,
  tenantId: string,
  mailboxId: string,
  folder: string,
): Promise<FolderCursor | undefined> {
  return (await ds.getRepository(MailboxFolderEntity).findOneBy({ tenantId, mailboxId, folder })) ?? undefined;
}

const RETURNING = `RETURNING tenant_id, mailbox_id, folder, uid_validity, last_uid, highest_modseq,
  backfill_uid_validity, backfill_below_uid, backfill_upto_uid, updated_at`;

// A finished pass ends any backfill under way. GREATEST ignores NULLs, so an
// update without a modseq keeps the stored one.
const UPSERT_CURSOR = (fenced: boolean) => `
  INSERT INTO mailbox_folders AS f (tenant_id, mailbox_id, folder, uid_validity, last_uid, highest_modseq, updated_at)
  SELECT $1::uuid, $2::uuid, $3::text, $4::bigint, $5::bigint, $6::bigint, now() ${fenced ? `WHERE ${FENCE_HOLDS}` : ''}
  ON CONFLICT (tenant_id, mailbox_id, folder) DO UPDATE SET
    last_uid = CASE WHEN f.uid_validity IS DISTINCT FROM EXCLUDED.uid_validity
      THEN EXCLUDED.last_uid ELSE GREATEST(f.last_uid, EXCLUDED.last_uid) END,
    highest_modseq = CASE WHEN f.uid_validity IS DISTINCT FROM EXCLUDED.uid_validity
      THEN EXCLUDED.highest_modseq ELSE GREATEST(f.highest_modseq, EXCLUDED.highest_modseq) END,
    uid_validity = EXCLUDED.uid_validity,
    backfill_uid_validity = NULL, backfill_below_uid = NULL, backfill_upto_uid = NULL,
    updated_at = now()
  ${RETURNING}`;

// Progress of a pass still under way: the cursor columns stay as they are
// (a new row has no UIDVALIDITY yet, so the folder still counts as unsynced).
const UPSERT_PROGRESS = (fenced: boolean) => `
  INSERT INTO mailbox_folders AS f (tenant_id, mailbox_id, folder, backfill_uid_validity, backfill_below_uid, backfill_upto_uid, updated_at)
  SELECT $1::uuid, $2::uuid, $3::text, $4::bigint, $5::bigint, $6::bigint, now() ${fenced ? `WHERE ${FENCE_HOLDS}` : ''}
  ON CONFLICT (tenant_id, mailbox_id, folder) DO UPDATE SET
    backfill_uid_validity = EXCLUDED.backfill_uid_validity,
    backfill_below_uid = EXCLUDED.backfill_below_uid,
    backfill_upto_uid = EXCLUDED.backfill_upto_uid,
    updated_at = now()
  ${RETURNING}`;

interface CursorRow {
  tenant_id: string;
  mailbox_id: string;
  folder: string;
  uid_validity: string | null;
  last_uid: string;
  highest_modseq: string | null;
  backfill_uid_validity: string | null;
  backfill_below_uid: string | null;
  backfill_upto_uid: string | null;
  updated_at: Date;
}

const numberOrNull = (v: string | null) => (v === null ? null : Number(v));

function cursorOf(row: CursorRow): FolderCursor {
  return {
    tenantId: row.tenant_id,
    mailboxId: row.mailbox_id,
    folder: row.folder,
    uidValidity: numberOrNull(row.uid_validity),
    lastUid: Number(row.last_uid),
    highestModseq: row.highest_modseq === null ? null : BigInt(row.highest_modseq),
    backfillUidValidity: numberOrNull(row.backfill_uid_validity),
    backfillBelowUid: numberOrNull(row.backfill_below_uid),
    backfillUptoUid: numberOrNull(row.backfill_upto_uid),
    updatedAt: row.updated_at,
  };
}

async function upsert(ds: Db, sql: (fenced: boolean) => string, params: unknown[], fence?: MailboxFence): Promise<FolderCursor | undefined> {
  const args = fence ? [...params, fence.epoch, fence.token] : params;
  const rows = (await ds.query(sql(fence !== undefined), args)) as CursorRow[];
  return rows[0] ? cursorOf(rows[0]) : undefined;
}

/**
 * Stores the cursor and returns what is stored now: last_uid never moves
 * backwards for the same UIDVALIDITY, and resets when UIDVALIDITY changes.
 * With a fence: undefined, and nothing written, when the fence no longer holds.
 */
export async function saveFolderCursor(
  ds: Db,
  tenantId: string,
  mailboxId: string,
  folder: string,
  update: FolderCursorUpdate,
  fence?: MailboxFence,
): Promise<FolderCursor | undefined> {
  const modseq = update.highestModseq === undefined || update.highestModseq === null ? null : update.highestModseq.toString();
  return upsert(ds, UPSERT_CURSOR, [tenantId, mailboxId, folder, update.uidValidity, update.lastUid, modseq], fence);
}

/** Records a backfill's progress; undefined, and nothing written, when the fence no longer holds. */
export async function saveBackfillProgress(
  ds: Db,
  tenantId: string,
  mailboxId: string,
  folder: string,
  progress: BackfillProgress,
  fence?: MailboxFence,
): Promise<FolderCursor | undefined> {
  const params = [tenantId, mailboxId, folder, progress.uidValidity, progress.belowUid, progress.uptoUid];
  return upsert(ds, UPSERT_PROGRESS, params, fence);
}

/** Every folder cursor of a mailbox, by folder name. */
export async function listFolderCursors(ds: Db, tenantId: string, mailboxId: string): Promise<FolderCursor[]> {
  return ds.getRepository(MailboxFolderEntity).find({ where: { tenantId, mailboxId }, order: { folder: 'ASC' } });
}
