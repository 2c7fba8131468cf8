/**
 * Decides which mailboxes this ingress watches: every IMAP mailbox that is not
 * paused and that this replica could take ownership of. The list is re-read
 * every `refreshMs`, so a mailbox added while ingress runs is picked up, and
 * a removed or paused one (or one whose settings changed) is let go.
 */
import type { MailboxFence } from '@postroom/db';
import { describeError } from '@postroom/errors';
import type { Logger } from '@postroom/telemetry';
import type { MailboxWatcher } from './mailbox-watcher';

/** The fields of a mailbox row the supervisor reads. */
export interface WatchableMailbox {
  tenantId: string;
  id: string;
  provider: string;
  status: string;
  settings: unknown;
  address?: string;
}

/** A held mailbox: `fence` throws once it is lost; `release` gives it up. */
export interface Claim {
  fence(): Promise<void>;
  /** The lease's fencing token as taken, for the database to check writes against; none without leases. */
  readonly token?: MailboxFence;
  release(): Promise<void>;
}

/** Exclusive ownership of mailboxes across ingress replicas (a lease in NATS KV). */
export interface Ownership {
  /** Takes the mailbox, or resolves undefined while another replica holds it. `onLost` fires if it is taken away. */
  acquire(key: string, onLost: () => void): Promise<Claim | undefined>;
}

export interface SupervisorDeps {
  listMailboxes(): Promise<WatchableMailbox[]>;
  /** Starts a watcher; throws when the mailbox's settings are unusable. */
  watch(mailbox: WatchableMailbox, claim: Claim): Promise<MailboxWatcher>;
  /** Records a mailbox that cannot be watched (invalid settings, no credentials). */
  reject(mailbox: WatchableMailbox, reason: string): Promise<void>;
  ownership: Ownership;
  refreshMs: number;
  logger: Logger;
}

export interface Supervisor {
  /** True while the refresh loop runs and its last refresh reached the database. */
  running(): boolean;
  /** Keys (`tenant/mailbox`) of the mailboxes watched now. */
  watching(): string[];
  /** Runs one refresh now (tests; the loop runs it every refreshMs). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

interface Entry {
  fingerprint: string;
  watcher?: MailboxWatcher;
  claim?: Claim;
  stopping?: Promise<void>;
  /** When the watcher ended by itself (it paused the mailbox). */
  endedAt?: number;
}

const keyOf = (m: WatchableMailbox) => `${m.tenantId}/${m.id}`;
const wanted = (m: WatchableMailbox) => m.provider === 'imap' && m.status !== 'paused';
const fingerprintOf = (m: WatchableMailbox) => JSON.stringify(m.settings ?? {});

function startOne(deps: SupervisorDeps, entries: Map<string, Entry>, m: WatchableMailbox): void {
  const key = keyOf(m);
  const entry: Entry = { fingerprint: fingerprintOf(m) };
  entries.set(key, entry);
  const lost = () => {
    deps.logger.warn({ mailbox: key }, 'lost the mailbox lease; letting it go');
    void release(entries, key, entry);
  };
  entry.stopping = (async () => {
    const claim = await deps.ownership.acquire(key, lost);
    if (!claim) return void entries.delete(key);
    entry.claim = claim;
    try {
      entry.watcher = await deps.watch(m, claim);
    } catch (err) {
      await claim.release();
      entry.claim = undefined;
      // A newer owner claimed the mailbox between our lease and our start: not the mailbox's fault.
      if ((err as { code?: string }).code === 'LEASE_LOST') return void entries.delete(key);
      await deps.reject(m, describeError(err));
      return;
    }
    deps.logger.info({ mailbox: key }, 'watching mailbox');
    // A watcher that paused the mailbox ends by itself once the status is written.
    void entry.watcher.done.then(() => (entry.endedAt = Date.now()));
  })().catch((err) => {
    deps.logger.error({ mailbox: key, err: describeError(err) }, 'could not start watching');
    entries.delete(key);
  });
}

function release(entries: Map<string, Entry>, key: string, entry: Entry): Promise<void> {
  if (entries.get(key) === entry) entries.delete(key);
  const started = entry.stopping ?? Promise.resolve();
  entry.stopping = started.then(async () => {
    const watcher = entry.watcher;
    const claim = entry.claim;
    entry.watcher = undefined;
    entry.claim = undefined;
    await watcher?.stop();
    await claim?.release();
  });
  return entry.stopping;
}

async function refreshOnce(deps: SupervisorDeps, entries: Map<string, Entry>, rejected: Map<string, string>): Promise<void> {
  const listedAt = Date.now();
  const mailboxes = (await deps.listMailboxes()).filter(wanted);
  const desired = new Map(mailboxes.map((m) => [keyOf(m), m]));
  for (const [key, entry] of [...entries]) {
    const m = desired.get(key);
    // Not paused in a list read after the watcher paused it: an operator resumed it.
    const resumed = entry.endedAt !== undefined && entry.endedAt < listedAt;
    if (!m || fingerprintOf(m) !== entry.fingerprint || resumed) await release(entries, key, entry);
  }
  for (const [key, m] of desired) {
    if (entries.has(key) || rejected.get(key) === fingerprintOf(m)) continue;
    rejected.delete(key);
    startOne({ ...deps, reject: async (mb, reason) => { rejected.set(key, fingerprintOf(mb)); await deps.reject(mb, reason); } }, entries, m);
  }
}

/** Starts the refresh loop (the first refresh runs at once). */
export function startSupervisor(deps: SupervisorDeps): Supervisor {
  const entries = new Map<string, Entry>();
  const rejected = new Map<string, string>();
  let stopped = false;
  let healthy = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const refresh = () => {
    current = current.then(async () => {
      if (stopped) return;
      try {
        await refreshOnce(deps, entries, rejected);
        healthy = true;
      } catch (err) {
        healthy = false;
        deps.logger.error({ err: describeError(err) }, 'could not refresh the mailbox list');
      }
    });
    return current;
  };
  const loop = () => {
    timer = setTimeout(() => void refresh().then(() => !stopped && loop()), deps.refreshMs);
  };
  void refresh().then(loop);
  return {
    running: () => healthy && !stopped,
    watching: () => [...entries.entries()].filter(([, e]) => e.watcher).map(([k]) => k),
    refresh,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
      await Promise.all([...entries].map(([key, entry]) => release(entries, key, entry)));
    },
  };
}
