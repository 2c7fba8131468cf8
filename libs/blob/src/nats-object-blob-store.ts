/**
 * The embedded blob store: a NATS JetStream object store, so a newcomer runs
 * everything with NATS and PostgreSQL alone. The trade-off: JetStream fsyncs
 * lazily (every 2 minutes by default), so acked bytes can be lost on an OS
 * crash; production uses S3 (see README).
 *
 * An object store replaces an object on every put (new chunks, old ones
 * purged). Put first compares the stored digest, so repeating a put of the
 * same bytes writes nothing.
 */
import { Objm, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { BlobNotFoundError, blobRef, type BlobRef, type BlobStore, type PutOptions } from './blob-store';

/** The part of `@postroom/bus`'s Bus this backend needs. */
export interface NatsBlobBus {
  nc: NatsConnection;
  namespace: string;
}

export interface NatsBlobOptions {
  /** Default `${namespace || 'postroom'}_blobs`. */
  bucket?: string;
}

/**
 * The hex sha256 in an object's digest, `SHA-256=<base64url, padded>` (the
 * nats.js v3 client; Node's base64url decoder also takes the std alphabet
 * and padding other clients write), or undefined for another algorithm.
 */
function digestHex(digest: string): string | undefined {
  if (!digest.startsWith('SHA-256=')) return undefined;
  const value = digest.slice('SHA-256='.length);
  return /^[0-9a-fA-F]{64}$/.test(value) ? value.toLowerCase() : Buffer.from(value, 'base64url').toString('hex');
}

async function put(store: ObjectStore, key: string, bytes: Uint8Array, opts?: PutOptions): Promise<BlobRef> {
  const ref = blobRef(key, bytes, opts?.contentType);
  const existing = await store.info(key);
  if (existing && !existing.deleted && existing.size === ref.size && digestHex(existing.digest) === ref.sha256) {
    return ref;
  }
  const metadata = opts?.contentType ? { 'content-type': opts.contentType } : undefined;
  await store.putBlob({ name: key, metadata }, bytes);
  return ref;
}

async function get(store: ObjectStore, key: string): Promise<Uint8Array> {
  const bytes = await store.getBlob(key);
  if (bytes === null) throw new BlobNotFoundError(key);
  return bytes;
}

/** Opens (creating when missing) the bucket and returns a BlobStore over it. */
export async function createNatsObjectBlobStore(bus: NatsBlobBus, opts: NatsBlobOptions = {}): Promise<BlobStore> {
  const bucket = opts.bucket ?? `${bus.namespace || 'postroom'}_blobs`;
  const store = await new Objm(bus.nc).create(bucket, { description: 'Postroom raw mail, attachments and bodies' });
  return {
    put: (key, bytes, putOpts) => put(store, key, bytes, putOpts),
    get: (key) => get(store, key),
    has: async (key) => {
      const info = await store.info(key);
      return info !== null && !info.deleted;
    },
    delete: async (key) => {
      await store.delete(key);
    },
  };
}
