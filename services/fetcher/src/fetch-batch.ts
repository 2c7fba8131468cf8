/**
 * Messages of one folder that are asked for together are fetched with one
 * UID FETCH. A mailbox has one pooled connection (imap-pool), on which each
 * command waits for the one before, so with a backlog (a backfill, a burst)
 * the fetcher paid a round trip to the server, and a turn of both processes
 * on a busy machine, for every message. UID FETCH takes a set of UIDs
 * (RFC 3501 §6.4.8) and the server answers with the messages one after
 * another.
 *
 * A request waits at most until the batch in front of it for the same
 * folder is done; a batch starts at the end of the event loop's turn in
 * which its first request came, so the requests of one turn go together.
 */
import type { ImapMessageRef } from './ports';

/** Runs one UID FETCH for `refs` (all of one folder) and returns the bytes by UID; UIDs it did not return are absent. */
export type FetchMany = (refs: ImapMessageRef[]) => Promise<Map<number, Uint8Array>>;

export interface FetchBatcher {
  /** The message's bytes, or undefined when the server's answer did not have it (not yet seen by the session, or gone). */
  fetch(ref: ImapMessageRef): Promise<Uint8Array | undefined>;
}

interface Request {
  ref: ImapMessageRef;
  resolve(bytes: Uint8Array | undefined): void;
  reject(err: unknown): void;
}

const folderKey = (r: ImapMessageRef) => `${r.tenantId}\u0000${r.mailboxId}\u0000${r.folder}\u0000${r.uidValidity}`;

export function createFetchBatcher(fetchMany: FetchMany, maxBatch = 16): FetchBatcher {
  /** The requests waiting, by folder; a folder is here while a batch of it is scheduled or running. */
  const waiting = new Map<string, Request[]>();

  async function runBatch(key: string, queue: Request[]): Promise<void> {
    const batch = queue.splice(0, maxBatch);
    try {
      const found = await fetchMany(batch.map((r) => r.ref));
      for (const r of batch) r.resolve(found.get(r.ref.uid));
    } catch (err) {
      // A connection or UIDVALIDITY failure is every message's failure; each is retried or dead-lettered on its own.
      for (const r of batch) r.reject(err);
    }
    if (queue.length > 0) void runBatch(key, queue);
    else waiting.delete(key);
  }

  /** The first request of a folder schedules its batch for the end of this turn of the event loop. */
  function schedule(key: string): Request[] {
    const queue: Request[] = [];
    waiting.set(key, queue);
    setImmediate(() => void runBatch(key, queue));
    return queue;
  }

  return {
    fetch(ref) {
      const key = folderKey(ref);
      const queue = waiting.get(key) ?? schedule(key);
      return new Promise((resolve, reject) => queue.push({ ref, resolve, reject }));
    },
  };
}
