import { randomBytes } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobStoreContract } from '../test/blob-store-contract';
import { attachmentKey, bodyKey, sha256Hex } from './blob-store';
import { createNatsBlobStore, maxInlineBytes } from './nats-blob-store';
import { blobSubject } from './nats-blob-stream';

const NATS_URL = 'nats://127.0.0.1:4222';
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  nc = await connect({ servers: NATS_URL, name: 'blob-contract-test' });
  jsm = await jetstreamManager(nc);
});
afterAll(() => nc?.close());

/** Removes the blob stream and, when one was made, the object store beside it (`OBJ_<stream>`). */
async function destroy(stream: string): Promise<void> {
  for (const name of [stream, `OBJ_${stream}`]) await jsm.streams.delete(name).catch(() => undefined);
}

/** Messages the stream holds on the key's subject (0 or 1 with max_msgs_per_subject 1). */
async function messagesOn(stream: string, key: string): Promise<number> {
  const subject = blobSubject(stream, key);
  const info = await jsm.streams.info(stream, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

const streamNames = async () => {
  const names: string[] = [];
  for await (const name of jsm.streams.names()) names.push(name);
  return names;
};

blobStoreContract(
  'nats stream',
  async () => {
    const namespace = `t${randomBytes(6).toString('hex')}`;
    const store = await createNatsBlobStore({ nc, namespace });
    return { store, cleanup: () => destroy(`${namespace}_blobs`) };
  },
  { signedUrls: false },
);

describe('the embedded NATS blob store', () => {
  const namespace = `t${randomBytes(6).toString('hex')}`;
  const stream = `${namespace}_blobs`;
  afterAll(() => destroy(stream));

  it('names the stream after the namespace, or the given name, and reopens it', async () => {
    const store = await createNatsBlobStore({ nc, namespace });
    const bytes = randomBytes(32);
    const key = attachmentKey('acme', sha256Hex(bytes));
    await store.put(key, bytes);
    const config = (await jsm.streams.info(stream)).config;
    expect(config).toMatchObject({ subjects: [`${stream}.>`], max_msgs_per_subject: 1, allow_direct: true });
    const reopened = await createNatsBlobStore({ nc, namespace });
    expect(sha256Hex(await reopened.get(key))).toBe(sha256Hex(bytes));
    const other = await createNatsBlobStore({ nc, namespace }, { stream: `${namespace}_custom` });
    try {
      expect(await other.has(key)).toBe(false);
    } finally {
      await destroy(`${namespace}_custom`);
    }
  });

  it('keeps one message per key however often the same bytes are put', async () => {
    const store = await createNatsBlobStore({ nc, namespace });
    const bytes = randomBytes(4096);
    const key = attachmentKey('acme', sha256Hex(bytes));
    const refs = await Promise.all([1, 2, 3].map(() => store.put(key, bytes, { contentType: 'image/png' })));
    await store.put(key, bytes, { contentType: 'image/png' });
    expect(new Set(refs.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await messagesOn(stream, key)).toBe(1);
    expect(Buffer.from(await store.get(key))).toEqual(bytes);
  });

  it('replaces a key whose bytes change (a re-parsed body), keeping one message', async () => {
    const store = await createNatsBlobStore({ nc, namespace });
    const key = bodyKey('acme', `m-${randomBytes(4).toString('hex')}`);
    await store.put(key, new TextEncoder().encode('first'));
    await store.put(key, new TextEncoder().encode('second'));
    expect(new TextDecoder().decode(await store.get(key))).toBe('second');
    expect(await messagesOn(stream, key)).toBe(1);
  });

  it('stores a blob of exactly the inline limit as one message', async () => {
    const store = await createNatsBlobStore({ nc, namespace });
    const bytes = randomBytes(maxInlineBytes(nc));
    const key = attachmentKey('acme', sha256Hex(bytes));
    await store.put(key, bytes);
    expect(await messagesOn(stream, key)).toBe(1);
    expect(sha256Hex(await store.get(key))).toBe(sha256Hex(bytes));
  });
});

describe('blobs larger than one message', () => {
  const namespace = `t${randomBytes(6).toString('hex')}`;
  const stream = `${namespace}_blobs`;
  afterAll(() => destroy(stream));

  it('go to the object store beside the stream, and a repeated put writes nothing', async () => {
    const store = await createNatsBlobStore({ nc, namespace });
    const bytes = randomBytes(maxInlineBytes(nc) + 1);
    const key = attachmentKey('acme', sha256Hex(bytes));
    await store.put(key, bytes, { contentType: 'application/pdf' });
    expect(await messagesOn(stream, key)).toBe(0);
    const objects = await new Objm(nc).open(stream);
    const first = await objects.info(key);
    expect(first?.size).toBe(bytes.byteLength);
    await Promise.all([store.put(key, bytes), store.put(key, bytes)]);
    expect((await objects.info(key))?.nuid).toBe(first?.nuid);
    expect(sha256Hex(await store.get(key))).toBe(sha256Hex(bytes));
    expect(await store.has(key)).toBe(true);
    await store.delete(key);
    expect(await store.has(key)).toBe(false);
    expect(await objects.info(key)).toMatchObject({ deleted: true });
  });

  it('replace a smaller version of the same key, and are replaced by one', async () => {
    const store = await createNatsBlobStore({ nc, namespace });
    const key = bodyKey('acme', `m-${randomBytes(4).toString('hex')}`);
    const small = randomBytes(100);
    const large = randomBytes(maxInlineBytes(nc) + 1000);
    await store.put(key, small);
    await store.put(key, large);
    expect(sha256Hex(await store.get(key))).toBe(sha256Hex(large));
    await store.put(key, small);
    expect(sha256Hex(await store.get(key))).toBe(sha256Hex(small));
    await store.delete(key);
    expect(await store.has(key)).toBe(false);
  });

  it('are found by a store opened before the object store existed', async () => {
    const reader = await createNatsBlobStore({ nc, namespace: `${namespace}x` });
    const writer = await createNatsBlobStore({ nc, namespace: `${namespace}x` });
    try {
      expect(await streamNames()).not.toContain(`OBJ_${namespace}x_blobs`);
      const bytes = randomBytes(maxInlineBytes(nc) + 1);
      const key = attachmentKey('acme', sha256Hex(bytes));
      expect(await reader.has(key)).toBe(false);
      await writer.put(key, bytes);
      expect(sha256Hex(await reader.get(key))).toBe(sha256Hex(bytes));
    } finally {
      await destroy(`${namespace}x_blobs`);
    }
  });
});

it('reads and deletes blobs an earlier version wrote to the object store', async () => {
  const namespace = `t${randomBytes(6).toString('hex')}`;
  const stream = `${namespace}_blobs`;
  try {
    const legacy = await new Objm(nc).create(stream);
    const bytes = new TextEncoder().encode('From: a@example.com\r\n\r\nwritten before the upgrade\r\n');
    const key = attachmentKey('acme', sha256Hex(bytes));
    await legacy.putBlob({ name: key }, bytes);
    const store = await createNatsBlobStore({ nc, namespace });
    expect(await store.has(key)).toBe(true);
    expect(Buffer.from(await store.get(key))).toEqual(Buffer.from(bytes));
    await store.delete(key);
    expect(await store.has(key)).toBe(false);
  } finally {
    await destroy(stream);
  }
});
