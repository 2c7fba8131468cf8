/**
 * The part of the embedded blob store that uses a NATS object store: blobs
 * too large for one message (over the server's max_payload), and blobs an
 * earlier Postroom wrote when the whole embedded store was an object store
 * (same bucket name, stream `OBJ_<bucket>`), so they stay readable.
 *
 * The object store is opened lazily: a pipeline that never sees a large blob
 * never creates it, and a miss costs one extra request only until it exists.
 */
import { Objm, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import type { PutOptions } from './blob-store';

export interface ObjectBlobs {
  /** Stores the bytes unless an object with the same digest and size is already there. */
  put(key: string, bytes: Uint8Array, sha256: string, opts?: PutOptions): Promise<void>;
  /** The bytes, or null when the key is missing (or there is no object store). */
  get(key: string): Promise<Uint8Array | null>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
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

export function objectBlobs(nc: NatsConnection, bucket: string): ObjectBlobs {
  let store: ObjectStore | undefined;
  const create = async () =>
    (store ??= await new Objm(nc).create(bucket, { description: 'Postroom blobs larger than one NATS message' }));
  /** The store if it exists; "object store not found" is the client's answer for a missing bucket. */
  const existing = async (): Promise<ObjectStore | undefined> => {
    if (store) return store;
    try {
      store = await new Objm(nc).open(bucket);
      return store;
    } catch (err) {
      if (err instanceof Error && err.message === 'object store not found') return undefined;
      throw err;
    }
  };
  return {
    async put(key, bytes, sha256, opts) {
      const s = await create();
      const info = await s.info(key);
      if (info && !info.deleted && info.size === bytes.byteLength && digestHex(info.digest) === sha256) return;
      const metadata = opts?.contentType ? { 'content-type': opts.contentType } : undefined;
      await s.putBlob({ name: key, metadata }, bytes);
    },
    get: async (key) => (await existing())?.getBlob(key) ?? null,
    async has(key) {
      const info = await (await existing())?.info(key);
      return !!info && !info.deleted;
    },
    async delete(key) {
      await (await existing())?.delete(key);
    },
  };
}
