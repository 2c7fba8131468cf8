/**
 * One IMAP connection per mailbox, shared by the fetches for that mailbox and
 * closed after it sat unused for `idleCloseMs`. Reusing the connection saves
 * the TCP + TLS + LOGIN round trips per message and keeps us far below the
 * per-account connection caps (Gmail allows about 15).
 */
import type { ImapFlow } from 'imapflow';
import { classifyImapError, IMAP_ERROR_CODES } from '@postroom/imap';

export interface ImapPoolOptions {
  /** Opens an authenticated connection for a mailbox (throws classified errors). */
  open(tenantId: string, mailboxId: string): Promise<ImapFlow>;
  idleCloseMs: number;
}

export interface ImapPool {
  /** Runs `fn` with the mailbox's connection; a connection-level failure evicts it. */
  use<T>(tenantId: string, mailboxId: string, fn: (client: ImapFlow) => Promise<T>): Promise<T>;
  /** Connections open now. */
  size(): number;
  close(): Promise<void>;
}

interface Entry {
  client: Promise<ImapFlow>;
  users: number;
  timer?: NodeJS.Timeout;
}

/** Errors after which the connection must not be reused. */
const BROKEN = new Set<string>([IMAP_ERROR_CODES.unavailable, IMAP_ERROR_CODES.authFailed, IMAP_ERROR_CODES.tlsFailed, IMAP_ERROR_CODES.unknown]);

async function shut(client: Promise<ImapFlow>): Promise<void> {
  const c = await client.catch(() => undefined);
  if (!c) return;
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
  await Promise.race([c.logout().catch(() => undefined), timeout]);
  c.close();
}

async function useEntry<T>(pool: { entries: Map<string, Entry>; idleCloseMs: number }, key: string, entry: Entry, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const { entries } = pool;
  entry.users += 1;
  clearTimeout(entry.timer);
  try {
    return await fn(await entry.client);
  } catch (err) {
    const e = classifyImapError(err);
    if (BROKEN.has(e.code)) evict(entries, key, entry);
    throw e;
  } finally {
    entry.users -= 1;
    if (entry.users === 0 && entries.get(key) === entry) {
      entry.timer = setTimeout(() => evict(entries, key, entry), pool.idleCloseMs);
    }
  }
}

function evict(entries: Map<string, Entry>, key: string, entry: Entry): void {
  if (entries.get(key) !== entry) return;
  entries.delete(key);
  clearTimeout(entry.timer);
  void shut(entry.client);
}

export function createImapPool(opts: ImapPoolOptions): ImapPool {
  const entries = new Map<string, Entry>();
  const entryFor = (tenantId: string, mailboxId: string, key: string): Entry => {
    const existing = entries.get(key);
    if (existing) return existing;
    const entry: Entry = { client: opts.open(tenantId, mailboxId), users: 0 };
    entries.set(key, entry);
    entry.client.then(
      (c) => c.on('close', () => evict(entries, key, entry)),
      () => evict(entries, key, entry),
    );
    return entry;
  };
  return {
    use(tenantId, mailboxId, fn) {
      const key = `${tenantId}/${mailboxId}`;
      return useEntry({ entries, idleCloseMs: opts.idleCloseMs }, key, entryFor(tenantId, mailboxId, key), fn);
    },
    size: () => entries.size,
    async close() {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map((e) => (clearTimeout(e.timer), shut(e.client))));
    },
  };
}
