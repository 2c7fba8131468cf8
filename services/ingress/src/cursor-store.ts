/**
 * Folder cursors in PostgreSQL (mailbox_folders). A save first proves this
 * replica still holds the mailbox (the lease's fencing check), so an ingress
 * that lost its lease stops advancing the cursor.
 */
import { getFolderCursor, saveFolderCursor, type DataSource } from '@postroom/db';
import type { CursorStore } from './ports';

export interface CursorStoreOptions {
  ds: DataSource;
  mailbox: { tenantId: string; id: string };
  /** Throws when this replica no longer owns the mailbox. */
  fence?: () => Promise<void>;
}

export function createCursorStore(opts: CursorStoreOptions): CursorStore {
  const { tenantId, id } = opts.mailbox;
  return {
    async get(folder) {
      const row = await getFolderCursor(opts.ds, tenantId, id, folder);
      return row ? { uidValidity: row.uidValidity, lastUid: row.lastUid, highestModseq: row.highestModseq } : undefined;
    },
    async save(folder, cursor) {
      await opts.fence?.();
      await saveFolderCursor(opts.ds, tenantId, id, folder, cursor);
    },
  };
}
