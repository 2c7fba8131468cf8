/**
 * One sync pass over one folder: decide (next-uids), list the UIDs, publish a
 * pointer per UID, and only then advance the cursor (architecture invariant
 * 3: the IMAP cursor is our "ack" to the provider and follows the PubAck).
 */
import type { BackfillSettings } from '@postroom/imap';
import { batches, coveredUpTo, newestFirst, planFolderSync, type FolderSnapshot, type UidInfo } from './next-uids';
import type { CursorStore, FolderSession, NewPointer, PointerSink } from './ports';

export interface FolderSyncContext {
  folder: string;
  session: FolderSession;
  cursors: CursorStore;
  pointers: PointerSink;
  backfill: BackfillSettings;
  /** Flag backfilled mail as imported (no auto-response). */
  backfillImported: boolean;
  /** Pointers published (and acked) before the cursor is saved. */
  batchSize: number;
  /** Called before a folder whose UIDVALIDITY changed is read again. */
  onResync(info: { folder: string; previousUidValidity: number; uidValidity: number }): Promise<void>;
}

export interface SyncResult {
  plan: 'initial' | 'resync' | 'incremental' | 'unchanged';
  published: number;
}

const pointersOf = (folder: string, uidValidity: number, uids: UidInfo[], imported: boolean): NewPointer[] =>
  uids.map((m) => ({ folder, uidValidity, uid: m.uid, size: m.size, imported }));

async function incremental(ctx: FolderSyncContext, snap: FolderSnapshot, afterUid: number): Promise<number> {
  const fresh = await ctx.session.uidsAfter(afterUid);
  const all = batches(fresh, ctx.batchSize);
  for (const [i, batch] of all.entries()) {
    await ctx.pointers.publish(pointersOf(ctx.folder, snap.uidValidity, batch, false));
    // HIGHESTMODSEQ only with the last batch: an earlier one would let a
    // crash-and-restart take "modseq unchanged" for "nothing left to read".
    const last = i === all.length - 1;
    await ctx.cursors.save(ctx.folder, {
      uidValidity: snap.uidValidity,
      lastUid: batch[batch.length - 1].uid,
      highestModseq: last ? snap.highestModseq : undefined,
    });
  }
  if (fresh.length === 0 && snap.highestModseq !== undefined) {
    // Only flags changed: remember the new HIGHESTMODSEQ so a reconnect can skip the FETCH.
    await ctx.cursors.save(ctx.folder, { uidValidity: snap.uidValidity, lastUid: afterUid, highestModseq: snap.highestModseq });
  }
  return fresh.length;
}

/**
 * Initial backfill and UIDVALIDITY resync: newest first, and the cursor is
 * written once at the end. A crash midway repeats the pass; the pointers'
 * msgIds and the ticketer's mail-id / Message-ID dedupe absorb the repeats.
 */
async function fromScratch(ctx: FolderSyncContext, snap: FolderSnapshot, listed: UidInfo[], imported: boolean): Promise<number> {
  const ordered = newestFirst(listed);
  for (const batch of batches(ordered, ctx.batchSize)) {
    await ctx.pointers.publish(pointersOf(ctx.folder, snap.uidValidity, batch, imported));
  }
  await ctx.cursors.save(ctx.folder, {
    uidValidity: snap.uidValidity,
    lastUid: coveredUpTo(snap, listed),
    highestModseq: snap.highestModseq,
  });
  return ordered.length;
}

async function backfillCandidates(ctx: FolderSyncContext): Promise<UidInfo[]> {
  const b = ctx.backfill;
  if (b.mode === 'none') return [];
  if (b.mode === 'last') return ctx.session.newestUids(b.count);
  if (b.mode === 'since') return ctx.session.uidsSince(b.date);
  return ctx.session.uidsAfter(0);
}

/** Runs one pass; throws (classified) when IMAP, NATS or the database fail. */
export async function syncFolder(ctx: FolderSyncContext): Promise<SyncResult> {
  const snap = ctx.session.snapshot();
  const plan = planFolderSync(await ctx.cursors.get(ctx.folder), snap);
  switch (plan.kind) {
    case 'unchanged':
      return { plan: plan.kind, published: 0 };
    case 'incremental':
      return { plan: plan.kind, published: await incremental(ctx, snap, plan.afterUid) };
    case 'initial':
      return { plan: plan.kind, published: await fromScratch(ctx, snap, await backfillCandidates(ctx), ctx.backfillImported) };
    case 'resync': {
      await ctx.onResync({ folder: ctx.folder, previousUidValidity: plan.previousUidValidity, uidValidity: snap.uidValidity });
      return { plan: plan.kind, published: await fromScratch(ctx, snap, await ctx.session.uidsAfter(0), true) };
    }
  }
}
