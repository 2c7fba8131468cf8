/**
 * The imapflow side of FolderSession: one connection, one folder EXAMINEd
 * (read-only: the source mailbox stays untouched, RFC 3501 §6.3.2), new mail
 * noticed through IDLE's EXISTS responses (RFC 2177) or by polling.
 */
import type { ImapFlow } from 'imapflow';
import { classifyImapError, openImapClient } from '@postroom/imap';
import type { FolderSnapshot, UidInfo } from './next-uids';
import { selectNewUids } from './next-uids';
import type { HostSlots } from './host-slots';
import type { FolderSession, FolderSessionFactory, ImapAccount, WakeReason } from './ports';

export interface ImapSessionOptions {
  /** Caps connections per server host; none when omitted. */
  slots?: HostSlots;
  /** Re-enter IDLE this often (RFC 2177: servers may drop an IDLE after 29 minutes). */
  maxIdleTimeMs: number;
  /** Inactivity before imapflow probes the connection with NOOP: dead-connection detection. */
  socketTimeoutMs: number;
}

const closedError = () => classifyImapError(Object.assign(new Error('connection closed'), { code: 'NoConnection' }));

function toUidInfo(rows: { uid: number; size?: number }[]): UidInfo[] {
  return rows.map((m) => ({ uid: m.uid, size: m.size ?? 0 }));
}

async function selectFolder(client: ImapFlow, folder: string): Promise<FolderSnapshot> {
  const mb = await client.mailboxOpen(folder, { readOnly: true });
  let uidNext = mb.uidNext || undefined;
  if (uidNext === undefined && mb.exists > 0) {
    // UIDNEXT is optional in practice; the highest UID in use stands in for it.
    const last = await client.fetchOne('*', { uid: true });
    if (last) uidNext = last.uid + 1;
  }
  return { uidValidity: Number(mb.uidValidity), uidNext, exists: mb.exists, highestModseq: mb.highestModseq };
}

function waitOnClient(client: ImapFlow, idle: boolean, opts: { maxWaitMs: number; signal: AbortSignal }, onWake: (f: () => void) => () => void): Promise<WakeReason> {
  return new Promise<WakeReason>((resolve, reject) => {
    const started = Date.now();
    let unsubscribe = () => undefined as void;
    let settled = false;
    const finish = (act: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.off('close', onClose);
      opts.signal.removeEventListener('abort', onAbort);
      unsubscribe();
      act();
    };
    const onClose = () => finish(() => reject(closedError()));
    const onAbort = () => finish(() => resolve('stopped'));
    const timer = setTimeout(() => finish(() => resolve('timeout')), opts.maxWaitMs);
    client.on('close', onClose);
    opts.signal.addEventListener('abort', onAbort);
    unsubscribe = onWake(() => finish(() => resolve('changed')));
    if (!client.usable) return onClose();
    if (opts.signal.aborted) return onAbort();
    if (idle) {
      // idle() resolves when something breaks the IDLE (our next command, a
      // recovery NOOP after a socket timeout); then this wait ends too, paced
      // so a server that ends every IDLE at once cannot spin the loop.
      client.idle().then(() => {
        if (settled) return;
        const rest = Math.max(0, 1000 - (Date.now() - started));
        setTimeout(() => finish(() => resolve('timeout')), rest);
      }, onClose);
    }
  });
}

class ImapFolderSession implements FolderSession {
  private changed = false;
  private waiter: (() => void) | undefined;
  private first: FolderSnapshot | undefined;

  constructor(
    private readonly client: ImapFlow,
    private readonly folder: string,
    readonly canIdle: boolean,
    first: FolderSnapshot,
    private readonly releaseSlot: () => void,
  ) {
    this.first = first;
    client.on('exists', () => {
      this.changed = true;
      this.waiter?.();
    });
  }

  /**
   * The folder's special use: RFC 6154 SPECIAL-USE (or XLIST) as the server
   * announced it in LIST, else imapflow's match of well-known localised
   * folder names ("Junk", "Spam", "Bulk Mail", "Courrier indésirable", …).
   */
  get specialUse(): string | undefined {
    return this.client.mailbox ? this.client.mailbox.specialUse : undefined;
  }

  snapshot(): FolderSnapshot {
    const first = this.first;
    this.first = undefined;
    const mb = this.client.mailbox;
    if (first) return first;
    if (!mb) throw closedError();
    return { uidValidity: Number(mb.uidValidity), exists: mb.exists };
  }

  async reselect(): Promise<void> {
    this.first = await this.run(() => selectFolder(this.client, this.folder));
  }

  async uidsAfter(afterUid: number): Promise<UidInfo[]> {
    if (this.client.mailbox && this.client.mailbox.exists === 0) return [];
    const rows = await this.run(() => this.client.fetchAll(`${afterUid + 1}:*`, { uid: true, size: true }, { uid: true }));
    return selectNewUids(toUidInfo(rows), afterUid);
  }

  async newestUids(count: number): Promise<UidInfo[]> {
    const exists = this.client.mailbox ? this.client.mailbox.exists : 0;
    if (exists === 0) return [];
    const range = `${Math.max(1, exists - count + 1)}:*`;
    return toUidInfo(await this.run(() => this.client.fetchAll(range, { uid: true, size: true })));
  }

  async uidsSince(date: Date): Promise<UidInfo[]> {
    const uids = await this.run(() => this.client.search({ since: date }, { uid: true }));
    if (!uids || uids.length === 0) return [];
    return toUidInfo(await this.run(() => this.client.fetchAll(uids, { uid: true, size: true }, { uid: true })));
  }

  async waitForChange(opts: { maxWaitMs: number; signal: AbortSignal }): Promise<WakeReason> {
    if (this.changed) {
      this.changed = false;
      return 'changed';
    }
    const reason = await waitOnClient(this.client, this.canIdle, opts, (wake) => {
      this.waiter = wake;
      return () => (this.waiter = undefined);
    });
    if (reason === 'changed') this.changed = false;
    return reason;
  }

  async close(): Promise<void> {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
    await Promise.race([this.client.logout().catch(() => undefined), timeout]);
    this.client.close();
    this.releaseSlot();
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      throw classifyImapError(err);
    }
  }
}

/** Opens folder sessions with imapflow. */
export function createImapSessionFactory(opts: ImapSessionOptions): FolderSessionFactory {
  return {
    async open(account: ImapAccount, folder: string, signal?: AbortSignal): Promise<FolderSession> {
      const release = opts.slots ? await opts.slots.acquire(account.settings.host, signal) : () => undefined;
      let client: ImapFlow | undefined;
      try {
        client = await openImapClient({
          settings: account.settings,
          auth: account.auth,
          id: account.label,
          maxIdleTimeMs: opts.maxIdleTimeMs,
          socketTimeoutMs: opts.socketTimeoutMs,
        });
        const first = await selectFolder(client, folder);
        const canIdle = account.settings.idle && client.capabilities.has('IDLE');
        return new ImapFolderSession(client, folder, canIdle, first, release);
      } catch (err) {
        client?.close();
        release();
        throw classifyImapError(err);
      }
    },
  };
}
