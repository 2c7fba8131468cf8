/**
 * Mailbox ownership across ingress replicas (architecture invariant 9): a
 * lease per mailbox in NATS KV, renewed every TTL/3. The fencing check before
 * every cursor save is itself a renewal by compare-and-set on the token, so
 * a replica that lost the mailbox fails it and stops. The token taken with
 * the lease goes to PostgreSQL too (`claimMailboxFence`), which refuses the
 * cursor writes of any older token in the same statement: a replica that
 * stalls between its check and its write still cannot advance the cursor
 * behind the new owner's back.
 */
import { hostname } from 'node:os';
import { LeaseLostError, openLeaseStore, type Bus, type Lease } from '@postroom/bus';
import { describeError } from '@postroom/errors';
import type { Logger } from '@postroom/telemetry';
import type { Claim, Ownership } from './mailbox-supervisor';

export interface LeaseOwnershipOptions {
  bus: Bus;
  ttlMs: number;
  /** This replica's name; defaults to `<host>-<pid>`. */
  owner?: string;
  logger: Logger;
}

export interface LeaseOwnership extends Ownership {
  readonly owner: string;
  /** Stops renewing (leases held now expire or were released by their watchers). */
  close(): Promise<void>;
}

function claimFor(lease: Lease, ttlMs: number, onLost: () => void, logger: Logger): Claim & { stop(): void } {
  let lost = false;
  let lastRenewed = Date.now();
  let chain: Promise<unknown> = Promise.resolve();
  const markLost = () => {
    if (lost) return;
    lost = true;
    clearInterval(timer);
    onLost();
  };
  // One renewal at a time: two concurrent CAS on the same token would fail each other.
  const renew = () => {
    const next = chain.then(async () => {
      if (lost) throw new LeaseLostError(lease.key);
      try {
        await lease.renew();
        lastRenewed = Date.now();
      } catch (err) {
        if (err instanceof LeaseLostError || Date.now() - lastRenewed >= ttlMs) markLost();
        throw err;
      }
    });
    chain = next.catch(() => undefined);
    return next;
  };
  const timer = setInterval(() => {
    renew().catch((err) => logger.warn({ lease: lease.key, err: describeError(err) }, 'lease renewal failed'));
  }, Math.max(100, Math.floor(ttlMs / 3)));
  return {
    fence: () => renew(),
    async release() {
      clearInterval(timer);
      await chain;
      if (!lost) await lease.release();
      lost = true;
    },
    stop: () => clearInterval(timer),
  };
}

export async function createLeaseOwnership(opts: LeaseOwnershipOptions): Promise<LeaseOwnership> {
  const owner = opts.owner ?? `${hostname()}-${process.pid}`;
  const store = await openLeaseStore(opts.bus, { ttlMs: opts.ttlMs, owner });
  const claims = new Set<{ stop(): void }>();
  return {
    owner,
    async acquire(key, onLost) {
      const lease = await store.tryAcquire(`mailbox/${key}`);
      if (!lease) return undefined;
      const claim = claimFor(lease, opts.ttlMs, onLost, opts.logger);
      claims.add(claim);
      const token = { epoch: lease.epoch, token: lease.token };
      return { fence: claim.fence, token, release: () => (claims.delete(claim), claim.release()) };
    },
    async close() {
      for (const claim of claims) claim.stop();
      claims.clear();
    },
  };
}
