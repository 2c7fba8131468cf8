/**
 * Watches every configured folder of one mailbox (one IMAP connection per
 * folder, so each can IDLE: RFC 2177 IDLE only reports the selected folder)
 * and turns what the folders prove into the mailbox's health. Refused logins
 * are counted per folder; after `pauseAfterAuthFailures` in a row the mailbox
 * is paused and stops retrying until an operator resumes it.
 */
import type { MailboxImapSettings } from '@postroom/imap';
import type { Logger } from '@postroom/telemetry';
import { createBackoff, type BackoffOptions } from './backoff';
import { runFolderWatcher, sleep } from './folder-watcher';
import { mailboxHealth, type FolderHealth, type MailboxHealth, type MailboxState } from './mailbox-health';
import type { CursorStore, FolderSessionFactory, ImapAccount, PointerSink, StatusSink } from './ports';

export interface WatcherOptions {
  pauseAfterAuthFailures: number;
  authRetryMs: number;
  backoff: Omit<BackoffOptions, 'random'>;
  /** With IDLE: the longest wait before a reconciling sync. */
  reconcileMs: number;
  batchSize: number;
}

export interface MailboxWatcherDeps {
  mailbox: { tenantId: string; id: string; address: string };
  settings: MailboxImapSettings;
  account(): Promise<ImapAccount>;
  sessions: FolderSessionFactory;
  cursors: CursorStore;
  pointers: PointerSink;
  status: StatusSink;
  options: WatcherOptions;
  /** The ingress-wide startup gate (see FolderWatcherDeps.startup). */
  startup?(signal: AbortSignal): Promise<() => void>;
  logger: Logger;
}

export interface MailboxWatcher {
  readonly state: MailboxState;
  /** Resolves when every folder loop ended (stopped, or the mailbox paused itself). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const STATUS_RETRY_MAX_MS = 30_000;

function healthTracker(deps: MailboxWatcherDeps, onPaused: () => void, stopping: AbortSignal) {
  const folders = new Map<string, FolderHealth>(deps.settings.imap.folders.map((f) => [f, { phase: 'connecting' }]));
  const authFailures = new Map<string, number>();
  let last: MailboxHealth | undefined;
  let chain = Promise.resolve();
  // A status that could not be stored (the database busy or away) is written
  // again until it is, or a newer one replaces it: otherwise the row would
  // keep saying "connecting" about a mailbox that has long been live.
  const store = async (health: MailboxHealth) => {
    for (let attempt = 0; last === health && !stopping.aborted; attempt += 1) {
      try {
        return await deps.status.report(health);
      } catch (err) {
        deps.logger.error({ err: String(err), state: health.state, attempt }, 'could not record mailbox status; retrying');
        await sleep(Math.min(STATUS_RETRY_MAX_MS, 500 * 2 ** attempt), stopping);
      }
    }
  };
  const recompute = () => {
    const accountFailures = Math.max(0, ...authFailures.values());
    const health = mailboxHealth({ folders: [...folders.values()], accountFailures, pauseAfter: deps.options.pauseAfterAuthFailures });
    if (last && last.state === health.state && last.code === health.code) return;
    last = health;
    deps.logger.info({ state: health.state, code: health.code || undefined, reason: health.reason || undefined }, 'mailbox state');
    chain = chain.then(() => store(health));
    if (health.state === 'paused') onPaused();
  };
  const report = (folder: string) => (h: FolderHealth) => {
    folders.set(folder, h);
    if (h.phase === 'failed' && h.account) authFailures.set(folder, (authFailures.get(folder) ?? 0) + 1);
    if (h.phase === 'syncing' && !h.code) authFailures.set(folder, 0);
    recompute();
  };
  return { report, state: () => last?.state ?? 'connecting', flushed: () => chain };
}

/** Starts watching a mailbox; runs until stopped or paused. */
export function startMailboxWatcher(deps: MailboxWatcherDeps): MailboxWatcher {
  const controller = new AbortController();
  // Separate from `controller`: a pause ends the folder loops but its status must still be stored.
  const stopping = new AbortController();
  const health = healthTracker(deps, () => controller.abort(), stopping.signal);
  const { imap } = deps.settings;
  const runs = imap.folders.map((folder) =>
    runFolderWatcher({
      folder,
      account: deps.account,
      sessions: deps.sessions,
      sync: {
        cursors: deps.cursors,
        pointers: deps.pointers,
        backfill: deps.settings.backfill,
        backfillImported: deps.settings.backfillImported,
        batchSize: deps.options.batchSize,
      },
      backoff: createBackoff(deps.options.backoff),
      waitMs: { idle: deps.options.reconcileMs, poll: imap.pollIntervalMs },
      authRetryMs: deps.options.authRetryMs,
      startup: deps.startup,
      report: (h) => controller.signal.aborted || health.report(folder)(h),
      logger: deps.logger.child({ folder }),
      signal: controller.signal,
    }),
  );
  const done = Promise.all(runs).then(() => health.flushed());
  return {
    get state() {
      return health.state();
    },
    done,
    async stop() {
      stopping.abort();
      controller.abort();
      await done;
    },
  };
}
