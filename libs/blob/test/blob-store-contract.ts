/**
 * The behaviour every BlobStore backend must show, as one suite that each
 * backend's integration test runs with its own factory (real servers only).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentKey, BlobNotFoundError, rawMailKey, sha256Hex, type BlobStore } from '../src/blob-store';

export interface ContractTarget {
  store: BlobStore;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** The backend must offer signedGetUrl, and the URL must serve the bytes to a plain fetch. */
  signedUrls: boolean;
}

const tenant = () => `tenant-${randomBytes(4).toString('hex')}`;

type Store = () => BlobStore;

function dataCases(store: Store): void {
  it('round-trips bytes and reports their sha256 and size', async () => {
    const bytes = new TextEncoder().encode('From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n');
    const key = rawMailKey(tenant(), sha256Hex(bytes));
    const ref = await store().put(key, bytes, { contentType: 'message/rfc822' });
    expect(ref).toEqual({ key, sha256: sha256Hex(bytes), size: bytes.byteLength, contentType: 'message/rfc822' });
    expect(ref.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(await store().get(key))).toEqual(Buffer.from(bytes));
  });

  it('round-trips a 5 MiB blob byte for byte', async () => {
    const bytes = randomBytes(5 * 1024 * 1024);
    const key = attachmentKey(tenant(), sha256Hex(bytes));
    const ref = await store().put(key, bytes);
    expect(ref.size).toBe(5 * 1024 * 1024);
    const back = await store().get(key);
    expect(back.byteLength).toBe(bytes.byteLength);
    expect(sha256Hex(back)).toBe(sha256Hex(bytes));
  });

  it('treats a repeated put of the same key as a no-op', async () => {
    const bytes = randomBytes(2048);
    const key = attachmentKey(tenant(), sha256Hex(bytes));
    const first = await store().put(key, bytes);
    const again = await Promise.all([store().put(key, bytes), store().put(key, bytes)]);
    expect(again).toEqual([first, first]);
    expect(Buffer.from(await store().get(key))).toEqual(bytes);
  });

  it('stores an empty blob', async () => {
    const key = attachmentKey(tenant(), sha256Hex(new Uint8Array()));
    expect((await store().put(key, new Uint8Array())).size).toBe(0);
    expect((await store().get(key)).byteLength).toBe(0);
    expect(await store().has(key)).toBe(true);
  });
}

function presenceCases(store: Store): void {
  it('answers has() and deletes', async () => {
    const bytes = randomBytes(64);
    const key = attachmentKey(tenant(), sha256Hex(bytes));
    expect(await store().has(key)).toBe(false);
    await store().put(key, bytes);
    expect(await store().has(key)).toBe(true);
    await store().delete(key);
    expect(await store().has(key)).toBe(false);
    await expect(store().get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    await store().delete(key);
  });

  it('throws BlobNotFoundError naming the key when it is missing', async () => {
    const key = rawMailKey(tenant(), sha256Hex(randomBytes(8)));
    const err = await store().get(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobNotFoundError);
    expect((err as BlobNotFoundError).key).toBe(key);
    expect((err as Error).message).toContain(key);
  });
}

function signedUrlCases(store: Store, enabled: boolean): void {
  if (enabled) {
    it('signs a URL that plain fetch can read without credentials', async () => {
      const bytes = randomBytes(100_000);
      const key = attachmentKey(tenant(), sha256Hex(bytes));
      await store().put(key, bytes, { contentType: 'application/pdf' });
      const url = await store().signedGetUrl!(key, 60);
      expect(url).toMatch(/X-Amz-Signature=/);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
      // s3rver neither verifies SigV4 signatures nor closes buckets to anonymous
      // reads, so a tampered or unsigned URL cannot be shown to fail here.
    });
  } else {
    it('offers no signed URLs', () => {
      expect(store().signedGetUrl).toBeUndefined();
    });
  }
}

export function blobStoreContract(name: string, factory: () => Promise<ContractTarget>, opts: ContractOptions): void {
  describe(`BlobStore contract: ${name}`, () => {
    let target: ContractTarget;
    beforeAll(async () => {
      target = await factory();
    });
    afterAll(() => target?.cleanup());
    dataCases(() => target.store);
    presenceCases(() => target.store);
    signedUrlCases(() => target.store, opts.signedUrls);
  });
}
