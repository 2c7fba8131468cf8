/**
 * Folder cursors in PostgreSQL (mailbox_folders). With leases, the store
 * claims the mailbox's fence in the database before its first read
 * (`claimMailboxFence`), and every write carries the lease's token, so the
 * database refuses the writes of a replica that lost the mailbox in the same
 * statement (a LeaseLostError here). The KV renewal before each write
 * (`fence`) notices a lost lease early and keeps a busy backfill's lease alive.
 */
import { LeaseLostError } from '@postroom/bus';
import {
  claimMailboxFence,
  getFolderCursor,
  saveBackfillProgress,
  saveFolderCursor,
  type DataSource,
  type FolderCursor,
  type MailboxFence,
} from '@postroom/db';
import type { CursorStore } from './ports';

export interface CursorStoreOptions {
  ds: DataSource;
  mailbox: { tenantId: string; id: string };
  /** Renews the lease; throws when this replica no longer owns the mailbox. */
  fence?: () => Promise<void>;
  /** The lease's token as taken; without one (a single ingress, no leases) writes are not fenced. */
  token?: MailboxFence;
}

function storedCursor(row: FolderCursor) {
  const backfill =
    row.backfillUidValidity !== null && row.backfillBelowUid !== null && row.backfillUptoUid !== null
      ? { uidValidity: row.backfillUidValidity, belowUid: row.backfillBelowUid, uptoUid: row.backfillUptoUid }
      : undefined;
  return { uidValidity: row.uidValidity, lastUid: row.lastUid, highestModseq: row.highestModseq, backfill };
}

export function createCursorStore(opts: CursorStoreOptions): CursorStore {
  const { tenantId, id } = opts.mailbox;
  const lost = () => new LeaseLostError(`mailbox/${tenantId}/${id}`);
  let claimed: Promise<void> | undefined;
  const claimOnce = () => {
    const token = opts.token;
    if (!token) return Promise.resolve();
    claimed ??= claimMailboxFence(opts.ds, tenantId, id, token).then((ok) => {
      if (!ok) throw lost();
    });
    // A failed claim (the database away) is tried again on the next call.
    return claimed.catch((err: unknown) => {
      claimed = undefined;
      throw err;
    });
  };
  const fenced = async (write: () => Promise<FolderCursor | undefined>) => {
    await claimOnce();
    await opts.fence?.();
    if ((await write()) === undefined) throw lost();
  };
  return {
    async get(folder) {
      await claimOnce();
      const row = await getFolderCursor(opts.ds, tenantId, id, folder);
      return row ? storedCursor(row) : undefined;
    },
    save: (folder, cursor) => fenced(() => saveFolderCursor(opts.ds, tenantId, id, folder, cursor, opts.token)),
    saveProgress: (folder, progress) => fenced(() => saveBackfillProgress(opts.ds, tenantId, id, folder, progress, opts.token)),
  };
}
