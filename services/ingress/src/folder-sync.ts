/**
 * One sync pass over one folder: decide (next-uids), list the UIDs, publish a
 * pointer per UID, and only then advance the cursor (architecture invariant
 * 3: the IMAP cursor is our "ack" to the provider and follows the PubAck).
 */
import type { BackfillSettings } from '@postroom/imap';
import { batches, coveredUpTo, planFolderSync, planFromScratch, type BackfillProgress, type FolderSnapshot, type UidInfo } from './next-uids';
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
  /** False when mail above the cursor is known to be waiting (a resumed backfill stops where its first run began). */
  caughtUp: boolean;
}

function pointersOf(ctx: FolderSyncContext, uidValidity: number, uids: UidInfo[], imported: boolean): NewPointer[] {
  const labels = ctx.session.specialUse ? [ctx.session.specialUse] : [];
  return uids.map((m) => ({ folder: ctx.folder, uidValidity, uid: m.uid, size: m.size, imported, labels }));
}

async function incremental(ctx: FolderSyncContext, snap: FolderSnapshot, afterUid: number): Promise<number> {
  const fresh = await ctx.session.uidsAfter(afterUid);
  const all = batches(fresh, ctx.batchSize);
  for (const [i, batch] of all.entries()) {
    await ctx.pointers.publish(pointersOf(ctx, snap.uidValidity, batch, false));
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
 * Initial backfill and UIDVALIDITY resync: newest first. After each batch
 * the progress is saved, so a crash midway goes on below the last batch
 * instead of starting over; the cursor proper is written once at the end.
 * A batch repeated by a crash between its publish and its progress save is
 * absorbed by the pointers' msgIds and the ticketer's dedupe.
 */
async function fromScratch(
  ctx: FolderSyncContext,
  snap: FolderSnapshot,
  listed: UidInfo[],
  imported: boolean,
  progress?: BackfillProgress,
): Promise<{ published: number; caughtUp: boolean }> {
  const { todo, uptoUid } = planFromScratch(snap, listed, progress);
  for (const batch of batches(todo, ctx.batchSize)) {
    await ctx.pointers.publish(pointersOf(ctx, snap.uidValidity, batch, imported));
    await ctx.cursors.saveProgress(ctx.folder, { uidValidity: snap.uidValidity, belowUid: batch[batch.length - 1].uid, uptoUid });
  }
  // A resumed pass covers only up to where the first one began; mail above it
  // is in this snapshot's HIGHESTMODSEQ, so storing that would hide it.
  const coversSnapshot = uptoUid >= coveredUpTo(snap, listed);
  await ctx.cursors.save(ctx.folder, {
    uidValidity: snap.uidValidity,
    lastUid: uptoUid,
    highestModseq: coversSnapshot ? snap.highestModseq : undefined,
  });
  return { published: todo.length, caughtUp: coversSnapshot };
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
  const cursor = await ctx.cursors.get(ctx.folder);
  const plan = planFolderSync(cursor, snap);
  switch (plan.kind) {
    case 'unchanged':
      return { plan: plan.kind, published: 0, caughtUp: true };
    case 'incremental':
      return { plan: plan.kind, published: await incremental(ctx, snap, plan.afterUid), caughtUp: true };
    case 'initial': {
      const listed = await backfillCandidates(ctx);
      return { plan: plan.kind, ...(await fromScratch(ctx, snap, listed, ctx.backfillImported, cursor?.backfill)) };
    }
    case 'resync': {
      await ctx.onResync({ folder: ctx.folder, previousUidValidity: plan.previousUidValidity, uidValidity: snap.uidValidity });
      return { plan: plan.kind, ...(await fromScratch(ctx, snap, await ctx.session.uidsAfter(0), true, cursor?.backfill)) };
    }
  }
}
