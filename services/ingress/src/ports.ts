/**
 * What the ingress's logic needs from the outside world, as interfaces: the
 * IMAP folder connection (imapflow behind it), the cursor store (PostgreSQL),
 * and the sinks for pointers and status (JetStream through @postroom/bus).
 */
import type { ImapAuth, ImapSettings } from '@postroom/imap';
import type { BackfillProgress, FolderSnapshot, StoredCursor, UidInfo } from './next-uids';
import type { MailboxHealth } from './mailbox-health';

/** Why waitForChange returned. */
export type WakeReason = 'changed' | 'timeout' | 'stopped';

/** One IMAP connection with one folder selected. */
export interface FolderSession {
  /** The server offers IDLE (RFC 2177) and the mailbox wants it. */
  readonly canIdle: boolean;
  /**
   * The folder's RFC 6154 special use as the server announces it (`\Junk`,
   * `\Sent`, …), passed on as a provider label: mail a provider filed in a
   * junk folder counts as spam whatever the folder is called.
   */
  readonly specialUse?: string;
  /**
   * The folder's state. The first call after opening carries SELECT's UIDNEXT
   * and HIGHESTMODSEQ; later calls only what the live session keeps current.
   */
  snapshot(): FolderSnapshot;
  /**
   * SELECTs the folder again, so the next snapshot is fresh. A session's view
   * can outlive its folder: Dovecot keeps serving a deleted-and-recreated
   * folder's old view to an IDLE session, so reconciling re-reads UIDVALIDITY.
   */
  reselect(): Promise<void>;
  /** Messages with UID > afterUid (UID FETCH afterUid+1:* UID RFC822.SIZE, filtered). */
  uidsAfter(afterUid: number): Promise<UidInfo[]>;
  /** The newest `count` messages by sequence number. */
  newestUids(count: number): Promise<UidInfo[]>;
  /** Messages with an internal date on or after `date` (SEARCH SINCE). */
  uidsSince(date: Date): Promise<UidInfo[]>;
  /**
   * Waits for new mail: IDLE when possible, otherwise sleeps and polls with
   * NOOP. Resolves 'changed' at once when mail arrived since the last call.
   * Rejects (classified) when the connection dies.
   */
  waitForChange(opts: { maxWaitMs: number; signal: AbortSignal }): Promise<WakeReason>;
  close(): Promise<void>;
}

export interface ImapAccount {
  /** For logs and the server's ID record. */
  label: string;
  settings: ImapSettings;
  auth: ImapAuth;
  /** The server refused this login: the next one must not reuse it (XOAUTH2: refresh the token). */
  refused?(): void;
}

export interface FolderSessionFactory {
  /** Connects and selects; `signal` abandons a connection still waiting for a host slot. */
  open(account: ImapAccount, folder: string, signal?: AbortSignal): Promise<FolderSession>;
}

export interface CursorUpdate {
  uidValidity: number;
  lastUid: number;
  highestModseq?: bigint;
}

/** The folder cursors of one mailbox. Writes refuse (LeaseLostError) when this replica lost the mailbox. */
export interface CursorStore {
  get(folder: string): Promise<StoredCursor | undefined>;
  /** Advances the cursor; ends any backfill progress of the folder. */
  save(folder: string, cursor: CursorUpdate): Promise<void>;
  /** Records how far a newest-first backfill or resync got, so a restart goes on from there. */
  saveProgress(folder: string, progress: BackfillProgress): Promise<void>;
}

/** A pointer to publish: one UID of one folder. */
export interface NewPointer {
  folder: string;
  uidValidity: number;
  uid: number;
  size: number;
  imported: boolean;
  /** Provider labels of the message (the folder's special use). */
  labels: string[];
}

/** Publishes pointers and resolves when JetStream acked every one. */
export interface PointerSink {
  publish(pointers: readonly NewPointer[]): Promise<void>;
}

/** Persists the mailbox status and announces changes. */
export interface StatusSink {
  report(health: MailboxHealth): Promise<void>;
}
