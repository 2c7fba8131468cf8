/**
 * Keeps one folder of one mailbox in sync for as long as ingress holds the
 * mailbox: connect, sync, wait for change (IDLE or poll), sync again; on any
 * failure close, back off (exponential, jittered, reset after a stable
 * period) and reconnect with a fresh SELECT, which re-checks UIDVALIDITY.
 */
import { describeError, RetryableError, TerminalError } from '@postroom/errors';
import { IMAP_ERROR_CODES } from '@postroom/imap';
import type { Logger } from '@postroom/telemetry';
import type { Backoff } from './backoff';
import { syncFolder, type FolderSyncContext } from './folder-sync';
import type { FolderHealth } from './mailbox-health';
import type { FolderSession, FolderSessionFactory, ImapAccount } from './ports';

export interface FolderWatcherDeps {
  folder: string;
  /** Read on every connect, so new credentials (or a refreshed token) apply at once. */
  account(): Promise<ImapAccount>;
  sessions: FolderSessionFactory;
  sync: Omit<FolderSyncContext, 'session' | 'folder' | 'onResync'>;
  backoff: Backoff;
  /** Longest wait before a reconciling sync: with IDLE, and when polling. */
  waitMs: { idle: number; poll: number };
  /** Delay after a refused login: slow, since retrying cannot fix a wrong password. */
  authRetryMs: number;
  /**
   * Waits for a startup permit before connecting and returns its release,
   * which is called once the first sync pass is done (or the attempt failed).
   * Shared by every folder of the ingress, so a restart with a thousand
   * mailboxes connects them a few at a time instead of in one login storm
   * that starves the database pool and the provider's login limits.
   */
  startup?(signal: AbortSignal): Promise<() => void>;
  /** Health changes of this folder. */
  report(health: FolderHealth): void;
  logger: Logger;
  signal: AbortSignal;
  now?: () => number;
}

const ACCOUNT_CODES: ReadonlySet<string> = new Set([IMAP_ERROR_CODES.authFailed, IMAP_ERROR_CODES.tlsFailed]);

function asClassified(err: unknown): RetryableError | TerminalError {
  if (err instanceof RetryableError || err instanceof TerminalError) return err;
  return new RetryableError('SYNC_FAILED', describeError(err), { cause: err });
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

async function syncLoop(deps: FolderWatcherDeps, session: FolderSession, firstSynced: () => void): Promise<void> {
  const onResync: FolderSyncContext['onResync'] = async (info) => {
    const reason = `folder ${info.folder}: UIDVALIDITY ${info.previousUidValidity} → ${info.uidValidity}, reading it again`;
    deps.logger.warn(info, 'UIDVALIDITY changed');
    deps.report({ phase: 'syncing', code: 'UIDVALIDITY_CHANGED', reason });
  };
  let live = false;
  while (!deps.signal.aborted) {
    const result = await syncFolder({ ...deps.sync, folder: deps.folder, session, onResync });
    if (result.published > 0) deps.logger.info({ folder: deps.folder, ...result }, 'published pointers');
    if (!live || result.plan === 'resync') deps.report({ phase: 'live' });
    live = true;
    firstSynced();
    // Mail that arrived while a crashed backfill was resumed is already in the folder: no IDLE will announce it.
    if (!result.caughtUp) continue;
    const maxWaitMs = session.canIdle ? deps.waitMs.idle : deps.waitMs.poll;
    const wake = await session.waitForChange({ maxWaitMs, signal: deps.signal });
    if (wake === 'stopped') return;
    // A poll or a reconcile re-reads the folder's state (UIDVALIDITY, UIDNEXT).
    if (wake === 'timeout') await session.reselect();
  }
}

async function connectAndSync(deps: FolderWatcherDeps, now: () => number): Promise<void> {
  let session: FolderSession | undefined;
  const started = deps.startup ? await deps.startup(deps.signal) : () => undefined;
  try {
    deps.report({ phase: 'connecting' });
    const account = await deps.account();
    session = await deps.sessions.open(account, deps.folder, deps.signal).catch((err: unknown) => {
      if (ACCOUNT_CODES.has(asClassified(err).code)) account.refused?.();
      throw err;
    });
    deps.backoff.connected(now());
    deps.report({ phase: 'syncing' });
    await syncLoop(deps, session, started);
  } finally {
    started();
    await session?.close();
  }
}

/** Runs until the signal aborts; never throws. */
export async function runFolderWatcher(deps: FolderWatcherDeps): Promise<void> {
  const now = deps.now ?? Date.now;
  while (!deps.signal.aborted) {
    let delay: number;
    try {
      await connectAndSync(deps, now);
      delay = 0;
    } catch (err) {
      // A lost lease means another replica owns the mailbox now: leave quietly,
      // without writing a status over the new owner's.
      if (deps.signal.aborted) break;
      if ((err as { code?: string }).code === 'LEASE_LOST') {
        deps.logger.warn({ folder: deps.folder, err: describeError(err) }, 'mailbox lease lost; leaving the folder to its new owner');
        break;
      }
      const e = asClassified(err);
      const account = ACCOUNT_CODES.has(e.code);
      deps.report({ phase: 'failed', code: e.code, reason: describeError(e), account });
      deps.logger.warn({ folder: deps.folder, code: e.code, err: describeError(e) }, 'folder connection failed');
      delay = Math.max(deps.backoff.next(now()), account ? deps.authRetryMs : 0);
    }
    await sleep(delay, deps.signal);
  }
}
