/**
 * Exclusive, expiring ownership of a named thing (an IMAP mailbox) across
 * replicas, in a NATS KV bucket. Works on NATS 2.9, which has no per-message
 * TTL: the bucket's max age is the lease TTL and its history is 1, so a key
 * whose owner stops renewing disappears TTL after its last renewal.
 *
 * The fencing token is the key's KV revision (the stream sequence: it only
 * grows). Every renewal is a compare-and-set on the token the owner holds
 * (`update(key, value, revision)`), so an owner whose lease expired and was
 * taken cannot renew — nor pass `check()` — ever again. Guarding a write with
 * `check()` right before it keeps a stale owner from committing work.
 * Revisions restart when the bucket is recreated, so a lease also carries the
 * bucket's creation time (`epoch`): (epoch, token) only grows.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { Bus } from './connect';

export interface LeaseStoreOptions {
  /** Bucket name; default `<namespace or postroom>_leases`. */
  bucket?: string;
  ttlMs: number;
  /** This replica's identity, stored as the key's value. */
  owner: string;
}

export interface Lease {
  readonly key: string;
  /** The fencing token: the KV revision this owner wrote last. */
  readonly token: number;
  /** When the lease bucket was created: orders tokens across a recreated bucket. */
  readonly epoch: Date;
  /** Extends the lease (CAS on the token); throws LeaseLostError when someone else holds it. */
  renew(): Promise<number>;
  /** Gives the lease up, if still held. */
  release(): Promise<void>;
}

export interface LeaseStore {
  /** Takes the key when nobody holds it; undefined while another owner does. */
  tryAcquire(key: string): Promise<Lease | undefined>;
  /** The owner currently holding the key, if any. */
  holder(key: string): Promise<string | undefined>;
}

/** The lease was taken over (or expired and was deleted): stop the work it guarded. */
export class LeaseLostError extends Error {
  readonly code = 'LEASE_LOST';

  constructor(key: string, options?: { cause?: unknown }) {
    super(`lease ${key} is no longer held by this replica`, options);
    this.name = 'LeaseLostError';
  }
}

const encoder = new TextEncoder();

/** A KV key from any name: KV keys allow only [-/_=.a-zA-Z0-9]. */
export function leaseKey(name: string): string {
  return name.replace(/[^-/_=.a-zA-Z0-9]/g, '_');
}

function leaseOf(kv: KV, epoch: Date, key: string, owner: string, token: number): Lease {
  let current = token;
  return {
    key,
    epoch,
    get token() {
      return current;
    },
    async renew() {
      try {
        current = await kv.update(key, encoder.encode(owner), current);
        return current;
      } catch (err) {
        const lost = await kv.get(key).then((e) => !e || e.operation !== 'PUT' || e.revision !== current, () => false);
        throw lost ? new LeaseLostError(key, { cause: err }) : err;
      }
    },
    async release() {
      await kv.delete(key, { previousSeq: current }).catch(() => undefined);
    },
  };
}

/** Opens (creating when missing) the lease bucket. */
export async function openLeaseStore(bus: Bus, opts: LeaseStoreOptions): Promise<LeaseStore> {
  const bucket = opts.bucket ?? `${bus.namespace || 'postroom'}_leases`;
  const kv = await new Kvm(bus.js).create(bucket, { ttl: opts.ttlMs, history: 1 });
  const epoch = new Date((await kv.status()).streamInfo.created);
  return {
    async tryAcquire(name) {
      const key = leaseKey(name);
      try {
        return leaseOf(kv, epoch, key, opts.owner, await kv.create(key, encoder.encode(opts.owner)));
      } catch {
        // Held by someone; if by this owner (a restart with the same id), take it back by CAS.
        const entry = await kv.get(key);
        if (!entry || entry.operation !== 'PUT' || entry.string() !== opts.owner) return undefined;
        const token = await kv.update(key, encoder.encode(opts.owner), entry.revision).catch(() => undefined);
        return token === undefined ? undefined : leaseOf(kv, epoch, key, opts.owner, token);
      }
    },
    async holder(name) {
      const entry = await kv.get(leaseKey(name));
      return entry && entry.operation === 'PUT' ? entry.string() : undefined;
    },
  };
}
