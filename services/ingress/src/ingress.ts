/**
 * Wires the mailbox supervisor to its real adapters: PostgreSQL for mailboxes
 * and cursors, JetStream (through @postroom/bus) for pointers and status
 * events, imapflow for the folders. main.ts and the tests both start here.
 */
import type { Bus } from '@postroom/bus';
import type { SecretBox } from '@postroom/crypto';
import { listMailboxes, type DataSource } from '@postroom/db';
import { parseImapSettings } from '@postroom/imap';
import type { Logger } from '@postroom/telemetry';
import { createCursorStore } from './cursor-store';
import { createAccountSource } from './imap-account';
import { createHostSlots } from './host-slots';
import { createImapSessionFactory } from './imap-folder-session';
import { startMailboxWatcher, type WatcherOptions } from './mailbox-watcher';
import { startSupervisor, type Ownership, type Supervisor, type WatchableMailbox } from './mailbox-supervisor';
import { createPointerSink } from './pointer-sink';
import type { FolderSessionFactory } from './ports';
import { createStatusSink } from './status-sink';

export interface IngressOptions {
  refreshMs: number;
  maxIdleTimeMs: number;
  socketTimeoutMs: number;
  /** Connections this ingress holds to one IMAP host at most; unlimited when omitted. */
  maxConnectionsPerHost?: number;
  /** Folders connecting and running their first sync at once, across all mailboxes; unlimited when omitted. */
  maxConnecting?: number;
  watcher: WatcherOptions;
}

export interface IngressDeps {
  bus: Bus;
  ds: DataSource;
  secrets: SecretBox;
  logger: Logger;
  options: IngressOptions;
  /** Who holds which mailbox; without it this replica takes every mailbox. */
  ownership?: Ownership;
  sessions?: FolderSessionFactory;
}

const everything: Ownership = {
  acquire: async () => ({ fence: async () => undefined, release: async () => undefined }),
};

/** Starts watching every active IMAP mailbox; stop() ends every IDLE and closes. */
export function startIngress(deps: IngressDeps): Supervisor {
  const slots = createHostSlots(deps.options.maxConnectionsPerHost ?? Number.POSITIVE_INFINITY);
  // The same counting gate as the host slots, with one key for the whole ingress.
  const connecting = createHostSlots(deps.options.maxConnecting ?? Number.POSITIVE_INFINITY);
  const startup = (signal: AbortSignal) => connecting.acquire('*', signal);
  const sessions = deps.sessions ?? createImapSessionFactory({ ...deps.options, slots });
  const statusOf = (m: WatchableMailbox) =>
    createStatusSink({ bus: deps.bus, ds: deps.ds, mailbox: { tenantId: m.tenantId, id: m.id }, initial: m.status });
  return startSupervisor({
    listMailboxes: () => listMailboxes(deps.ds),
    ownership: deps.ownership ?? everything,
    refreshMs: deps.options.refreshMs,
    logger: deps.logger,
    async watch(m, claim) {
      const settings = parseImapSettings(m.settings);
      const mailbox = { tenantId: m.tenantId, id: m.id, address: m.address ?? m.id };
      return startMailboxWatcher({
        mailbox,
        settings,
        account: createAccountSource({ ds: deps.ds, secrets: deps.secrets, mailbox, settings: settings.imap }),
        sessions,
        cursors: createCursorStore({ ds: deps.ds, mailbox, fence: claim.fence, token: claim.token }),
        pointers: createPointerSink({ bus: deps.bus, mailbox }),
        status: statusOf(m),
        options: deps.options.watcher,
        startup,
        logger: deps.logger.child({ tenant: m.tenantId, mailbox: m.id }),
      });
    },
    async reject(m, reason) {
      deps.logger.error({ tenant: m.tenantId, mailbox: m.id, reason }, 'cannot watch mailbox');
      await statusOf(m).report({ state: 'error', code: 'CONFIG_INVALID', reason });
    },
  });
}
