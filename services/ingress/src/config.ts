/**
 * The ingress's settings: the shared base (NATS, database, logging, health),
 * the credentials key, and the knobs of the IMAP watchers.
 */
import { baseSchema, encryptionSchema, z } from '@postroom/config';
import type { IngressOptions } from './ingress';

const ms = (fallback: number, min = 1) => z.coerce.number({ error: 'must be milliseconds' }).int().min(min).default(fallback);

export const ingressConfigSchema = baseSchema.extend({
  ...encryptionSchema.shape,
  HEALTH_PORT: z.coerce.number({ error: 'HEALTH_PORT must be a port number' }).int().min(0).max(65535).default(9101),
  /** How often the mailbox list is re-read (new, removed, paused, changed mailboxes). */
  INGRESS_REFRESH_MS: ms(5_000, 100),
  /** With IDLE, the longest wait before a reconciling UID FETCH. */
  INGRESS_RECONCILE_MS: ms(5 * 60_000, 100),
  /** Re-enter IDLE this often; RFC 2177 lets servers drop an IDLE after 29 minutes. */
  INGRESS_MAX_IDLE_MS: z.coerce.number().int().min(1_000).max(29 * 60_000 - 1).default(25 * 60_000),
  /** Inactivity before the connection is probed with NOOP (dead-connection detection). */
  INGRESS_SOCKET_TIMEOUT_MS: ms(5 * 60_000, 1_000),
  INGRESS_AUTH_FAILURES_BEFORE_PAUSE: z.coerce.number().int().min(1).default(3),
  INGRESS_AUTH_RETRY_MS: ms(60_000, 0),
  INGRESS_BACKOFF_BASE_MS: ms(1_000),
  INGRESS_BACKOFF_MAX_MS: ms(5 * 60_000),
  /** A connection up this long resets the backoff. */
  INGRESS_STABLE_MS: ms(60_000),
  /** Pointers acked before each cursor save. */
  INGRESS_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(256),
  /** Mailbox lease TTL: a dead replica's mailboxes move within about this long. */
  INGRESS_LEASE_TTL_MS: ms(15_000, 1_000),
  /** IMAP connections to one server host at most (folders beyond it wait). */
  INGRESS_MAX_CONNECTIONS_PER_HOST: z.coerce.number().int().min(1).default(500),
  /**
   * Folders connecting (login, SELECT, first sync) at once. After a restart
   * a replica reconnects all its mailboxes; unpaced, a thousand logins at
   * once starve the database pool (status and cursor writes time out) and
   * trip providers' login rate limits.
   */
  INGRESS_MAX_CONNECTING: z.coerce.number().int().min(1).default(16),
  /** This replica's name in the leases; defaults to host and pid. */
  INGRESS_REPLICA_ID: z.string().min(1).optional(),
});

export type IngressConfig = z.infer<typeof ingressConfigSchema>;

/** The watcher options a configuration asks for. */
export function ingressOptions(c: IngressConfig): IngressOptions {
  return {
    refreshMs: c.INGRESS_REFRESH_MS,
    maxIdleTimeMs: c.INGRESS_MAX_IDLE_MS,
    socketTimeoutMs: c.INGRESS_SOCKET_TIMEOUT_MS,
    maxConnectionsPerHost: c.INGRESS_MAX_CONNECTIONS_PER_HOST,
    maxConnecting: c.INGRESS_MAX_CONNECTING,
    watcher: {
      pauseAfterAuthFailures: c.INGRESS_AUTH_FAILURES_BEFORE_PAUSE,
      authRetryMs: c.INGRESS_AUTH_RETRY_MS,
      backoff: { baseMs: c.INGRESS_BACKOFF_BASE_MS, maxMs: c.INGRESS_BACKOFF_MAX_MS, stableMs: c.INGRESS_STABLE_MS },
      reconcileMs: c.INGRESS_RECONCILE_MS,
      batchSize: c.INGRESS_BATCH_SIZE,
    },
  };
}
