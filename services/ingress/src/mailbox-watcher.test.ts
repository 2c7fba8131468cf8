import { describe, expect, it } from 'vitest';
import { parseImapSettings } from '@postroom/imap';
import { createLogger } from '@postroom/telemetry';
import { createHostSlots } from './host-slots';
import type { MailboxHealth } from './mailbox-health';
import { startMailboxWatcher, type WatcherOptions } from './mailbox-watcher';
import type { CursorUpdate, FolderSession, FolderSessionFactory, StatusSink } from './ports';

const OPTIONS: WatcherOptions = {
  pauseAfterAuthFailures: 3,
  authRetryMs: 10,
  backoff: { baseMs: 10, maxMs: 50, stableMs: 1_000 },
  reconcileMs: 60_000,
  batchSize: 10,
};

/** An empty folder that IDLEs until stopped. */
function idleSession(): FolderSession {
  return {
    canIdle: true,
    snapshot: () => ({ uidValidity: 1, uidNext: 1, exists: 0 }),
    reselect: async () => undefined,
    uidsAfter: async () => [],
    newestUids: async () => [],
    uidsSince: async () => [],
    waitForChange: ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('stopped'))),
    close: async () => undefined,
  };
}

function watcher(opts: { status: StatusSink; sessions?: FolderSessionFactory; startup?: (s: AbortSignal) => Promise<() => void>; folders?: string[] }) {
  const cursors = new Map<string, CursorUpdate>();
  return startMailboxWatcher({
    mailbox: { tenantId: 't', id: 'm', address: 'support@example.com' },
    settings: parseImapSettings({ imap: { host: 'imap.example.com', folders: opts.folders ?? ['INBOX'] }, backfill: { mode: 'none' } }),
    account: async () => ({ label: 'm', settings: parseImapSettings({ imap: { host: 'imap.example.com' } }).imap, auth: { user: 'u', password: 'p' } }),
    sessions: opts.sessions ?? { open: async () => idleSession() },
    cursors: { get: async (f) => cursors.get(f) && { ...cursors.get(f)!, highestModseq: null }, save: async (f, c) => void cursors.set(f, c), saveProgress: async () => undefined },
    pointers: { publish: async () => undefined },
    status: opts.status,
    options: OPTIONS,
    startup: opts.startup,
    logger: createLogger({ service: 'test', level: 'silent' }),
  });
}

const until = async (what: string, probe: () => boolean) => {
  for (let i = 0; i < 500 && !probe(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!probe()) throw new Error(`never: ${what}`);
};

describe('mailbox watcher', () => {
  it('stores a status again until the database takes it, so a live mailbox does not stay "connecting"', async () => {
    const stored: string[] = [];
    let failures = 3;
    const status: StatusSink = {
      async report(h: MailboxHealth) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('timeout exceeded when trying to connect');
        }
        stored.push(h.state);
      },
    };
    const w = watcher({ status });
    await until('live stored', () => stored.at(-1) === 'live');
    await w.stop();
    expect(failures).toBe(0);
    expect(stored.at(-1)).toBe('live');
  });

  it('connects no more folders at once than the startup gate allows, and frees a permit after the first sync', async () => {
    const gate = createHostSlots(2);
    let opening = 0;
    let most = 0;
    const sessions: FolderSessionFactory = {
      async open() {
        opening += 1;
        most = Math.max(most, opening);
        await new Promise((r) => setTimeout(r, 30));
        opening -= 1;
        return idleSession();
      },
    };
    const stored: string[] = [];
    const w = watcher({
      status: { report: async (h) => void stored.push(h.state) },
      sessions,
      startup: (signal) => gate.acquire('*', signal),
      folders: ['INBOX', 'A', 'B', 'C', 'D'],
    });
    await until('live', () => stored.at(-1) === 'live');
    expect(most).toBe(2);
    // Every folder is live and idling, yet none holds a permit any more.
    expect(gate.inUse('*')).toBe(0);
    await w.stop();
  });
});
