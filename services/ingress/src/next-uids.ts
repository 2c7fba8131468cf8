/**
 * Pure cursor logic for one IMAP folder: what a sync pass must do, given the
 * stored cursor and what SELECT reported. No I/O, so every branch is tested
 * without a server (style guide §2: cursor/lease logic is pure).
 *
 * RFC 3501 §2.3.1.1: UIDs are only meaningful together with the folder's
 * UIDVALIDITY; when it changes, every stored UID is void and the folder is
 * read again from scratch.
 */

/**
 * A newest-first backfill or resync under way: every UID from `belowUid` up
 * to `uptoUid` of the folder at `uidValidity` is published.
 */
export interface BackfillProgress {
  uidValidity: number;
  belowUid: number;
  uptoUid: number;
}

/** The cursor as stored in mailbox_folders. */
export interface StoredCursor {
  uidValidity: number | null;
  lastUid: number;
  highestModseq: bigint | null;
  backfill?: BackfillProgress;
}

/** What SELECT (or the live session) reports about a folder. */
export interface FolderSnapshot {
  uidValidity: number;
  /** UIDNEXT, when the server sent it (RFC 3501 §6.3.1; optional in practice). */
  uidNext?: number;
  /** Number of messages (EXISTS). */
  exists: number;
  /** RFC 7162 HIGHESTMODSEQ, only when the server has CONDSTORE. */
  highestModseq?: bigint;
}

/** One message as listed by UID FETCH (UID RFC822.SIZE). */
export interface UidInfo {
  uid: number;
  size: number;
}

export type SyncPlan =
  /** No cursor yet: the first connection, backfill per the mailbox settings. */
  | { kind: 'initial' }
  /** UIDVALIDITY changed: every message is read again. */
  | { kind: 'resync'; previousUidValidity: number }
  /** Read UIDs above `afterUid`. */
  | { kind: 'incremental'; afterUid: number }
  /** The server proves nothing was added since the cursor (UIDNEXT or HIGHESTMODSEQ). */
  | { kind: 'unchanged' };

/** Decides the sync pass for a folder. */
export function planFolderSync(cursor: StoredCursor | undefined, snap: FolderSnapshot): SyncPlan {
  if (!cursor || cursor.uidValidity === null) return { kind: 'initial' };
  if (cursor.uidValidity !== snap.uidValidity) return { kind: 'resync', previousUidValidity: cursor.uidValidity };
  if (snap.exists === 0) return { kind: 'unchanged' };
  // UIDs are strictly ascending (RFC 3501 §2.3.1.1): below UIDNEXT all are assigned.
  if (snap.uidNext !== undefined && snap.uidNext <= cursor.lastUid + 1) return { kind: 'unchanged' };
  // RFC 7162 §3.1.2: any change to the folder (a new message included) raises HIGHESTMODSEQ.
  if (snap.highestModseq !== undefined && cursor.highestModseq !== null && snap.highestModseq === cursor.highestModseq) {
    return { kind: 'unchanged' };
  }
  return { kind: 'incremental', afterUid: cursor.lastUid };
}

/**
 * The UIDs above `afterUid`, ascending, without repeats. `UID FETCH n:*`
 * returns the highest UID even when it is below n (RFC 3501 §6.4.8: "*" is
 * the largest UID in use, and n:* is the range between them), so it has to be
 * filtered here.
 */
export function selectNewUids(listed: readonly UidInfo[], afterUid: number): UidInfo[] {
  const byUid = new Map<number, UidInfo>();
  for (const m of listed) if (m.uid > afterUid) byUid.set(m.uid, m);
  return [...byUid.values()].sort((a, b) => a.uid - b.uid);
}

/** Newest first (backfill and resync show the most recent mail soonest). */
export function newestFirst(listed: readonly UidInfo[]): UidInfo[] {
  return selectNewUids(listed, 0).reverse();
}

/**
 * The last UID a finished initial or resync pass may record: everything the
 * server has assigned so far is accounted for (published or deliberately
 * skipped by the backfill mode), so later passes start above it.
 */
export function coveredUpTo(snap: FolderSnapshot, listed: readonly UidInfo[]): number {
  const highestListed = listed.reduce((max, m) => Math.max(max, m.uid), 0);
  const beforeNext = snap.uidNext !== undefined ? snap.uidNext - 1 : 0;
  return Math.max(highestListed, beforeNext);
}

/** What an initial or resync pass still has to publish, newest first, and the UID its cursor covers when done. */
export interface FromScratchPlan {
  todo: UidInfo[];
  uptoUid: number;
}

/**
 * Plans a from-scratch pass over the listed UIDs, going on from `progress`
 * when an earlier pass over the same UIDVALIDITY was cut short: it published
 * everything from `belowUid` up, so only older UIDs are left. Mail that
 * arrived since that pass began lies above its `uptoUid`; the incremental
 * pass after this one reads it.
 */
export function planFromScratch(snap: FolderSnapshot, listed: readonly UidInfo[], progress?: BackfillProgress): FromScratchPlan {
  if (!progress || progress.uidValidity !== snap.uidValidity) {
    return { todo: newestFirst(listed), uptoUid: coveredUpTo(snap, listed) };
  }
  return { todo: newestFirst(listed).filter((m) => m.uid < progress.belowUid), uptoUid: progress.uptoUid };
}

/** Splits into batches whose cursor is saved one after the other. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
