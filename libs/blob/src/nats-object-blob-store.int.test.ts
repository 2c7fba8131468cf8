import { randomBytes } from 'node:crypto';
import { Objm } from '@nats-io/obj';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { blobStoreContract } from '../test/blob-store-contract';
import { attachmentKey, sha256Hex } from './blob-store';
import { createNatsObjectBlobStore } from './nats-object-blob-store';

const NATS_URL = 'nats://127.0.0.1:4222';
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: NATS_URL, name: 'blob-contract-test' });
});
afterAll(() => nc?.close());

/** Removes the bucket's backing stream (OBJ_<bucket>). */
async function destroyBucket(conn: NatsConnection, bucket: string): Promise<void> {
  const store = await new Objm(conn).open(bucket);
  await store.destroy();
}

blobStoreContract(
  'nats object store',
  async () => {
    const namespace = `t${randomBytes(6).toString('hex')}`;
    const store = await createNatsObjectBlobStore({ nc, namespace });
    return { store, cleanup: () => destroyBucket(nc, `${namespace}_blobs`) };
  },
  { signedUrls: false },
);

it('names the bucket after the namespace, or the given name, and reopens it', async () => {
  const namespace = `t${randomBytes(6).toString('hex')}`;
  const custom = `${namespace}_custom`;
  try {
    const store = await createNatsObjectBlobStore({ nc, namespace });
    const bytes = randomBytes(32);
    const key = attachmentKey('acme', sha256Hex(bytes));
    await store.put(key, bytes);
    const status = await (await new Objm(nc).open(`${namespace}_blobs`)).status();
    expect(status.streamInfo.config.name).toBe(`OBJ_${namespace}_blobs`);
    const reopened = await createNatsObjectBlobStore({ nc, namespace });
    expect(sha256Hex(await reopened.get(key))).toBe(sha256Hex(bytes));
    const other = await createNatsObjectBlobStore({ nc, namespace }, { bucket: custom });
    expect(await other.has(key)).toBe(false);
  } finally {
    await destroyBucket(nc, `${namespace}_blobs`);
    await destroyBucket(nc, custom).catch(() => undefined);
  }
});

it('does not rewrite an object whose bytes are already stored', async () => {
  const namespace = `t${randomBytes(6).toString('hex')}`;
  try {
    const store = await createNatsObjectBlobStore({ nc, namespace });
    const bytes = randomBytes(1024);
    const key = attachmentKey('acme', sha256Hex(bytes));
    await store.put(key, bytes);
    const bucket = await new Objm(nc).open(`${namespace}_blobs`);
    const before = await bucket.info(key);
    await store.put(key, bytes);
    expect((await bucket.info(key))?.nuid).toBe(before?.nuid);
    const changed = randomBytes(1024);
    await store.put(key, changed);
    expect((await bucket.info(key))?.nuid).not.toBe(before?.nuid);
    expect(sha256Hex(await store.get(key))).toBe(sha256Hex(changed));
  } finally {
    await destroyBucket(nc, `${namespace}_blobs`);
  }
});
