/**
 * Wires the fetcher stage to its adapters (IMAP pool, blob store) and runs it
 * with @postroom/bus's runStage, beside the mailbox-actions stage (afterFiled:
 * mark \Seen / move once filed), which shares the pool so a mailbox keeps one
 * fetcher connection. main.ts and the tests both start here.
 */
import type { BlobStore } from '@postroom/blob';
import { runStage, type Bus, type StageRunner } from '@postroom/bus';
import { MailPointerSchema, TicketMessageAddedSchema, type MailPointer, type TicketMessageAdded } from '@postroom/contracts';
import type { SecretBox } from '@postroom/crypto';
import type { DataSource } from '@postroom/db';
import type { Logger, ServiceMetrics } from '@postroom/telemetry';
import { createFiledMessages } from './filed-messages';
import { createHandler } from './handler';
import { createImapMessageSource } from './imap-message-source';
import { createImapPool } from './imap-pool';
import { createImapSourceMailbox } from './imap-source-mailbox';
import { createMailboxActionsHandler } from './mailbox-actions';
import { createMailboxConnector } from './mailbox-connector';

export interface FetcherOptions {
  bus: Bus;
  ds: DataSource;
  secrets: SecretBox;
  blobs: BlobStore;
  logger: Logger;
  metrics?: ServiceMetrics;
  maxMessageBytes: number;
  idleCloseMs: number;
  concurrency?: number;
  /** Retry-delay overrides (tests). */
  policy?: Parameters<typeof runStage>[1]['policy'];
}

export interface Fetcher {
  stage: StageRunner;
  /** The mailbox-actions stage (durable `mailbox-actions` on work.v1.apply_after_filed). */
  actions: StageRunner;
  /** Stops pulling, waits for in-flight fetches and actions, closes the IMAP connections. */
  stop(): Promise<void>;
}

export function startFetcher(opts: FetcherOptions): Fetcher {
  const pool = createImapPool({ open: createMailboxConnector({ ds: opts.ds, secrets: opts.secrets }), idleCloseMs: opts.idleCloseMs });
  const handle = createHandler({
    blobs: opts.blobs,
    source: createImapMessageSource(pool),
    subjects: opts.bus.subjects,
    maxMessageBytes: opts.maxMessageBytes,
  });
  const stage = runStage(opts.bus, {
    stage: 'fetcher',
    input: MailPointerSchema,
    handle,
    tenantOf: (p: MailPointer) => p.mail?.tenantId ?? '',
    logger: opts.logger,
    metrics: opts.metrics,
    concurrency: opts.concurrency,
    policy: opts.policy,
  });
  const actions = runStage(opts.bus, {
    stage: 'mailbox-actions',
    input: TicketMessageAddedSchema,
    handle: createMailboxActionsHandler({ filed: createFiledMessages(opts.ds), source: createImapSourceMailbox(pool) }),
    tenantOf: (e: TicketMessageAdded) => e.ticket?.tenantId ?? '',
    mailIdOf: (e: TicketMessageAdded) => e.mailId,
    logger: opts.logger,
    metrics: opts.metrics,
    concurrency: opts.concurrency,
    policy: opts.policy,
  });
  return {
    stage,
    actions,
    async stop() {
      await Promise.all([stage.stop(), actions.stop()]);
      await pool.close();
    },
  };
}
