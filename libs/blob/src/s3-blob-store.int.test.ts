import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { expect, it } from 'vitest';
import { blobStoreContract } from '../test/blob-store-contract';
import { createS3BlobStore, type S3BlobOptions } from './s3-blob-store';

// s3rver's built-in account (lib/models/account.js).
const CREDENTIALS = { accessKey: 'S3RVER', secretKey: 'S3RVER' };

async function startS3(): Promise<{ port: number; close(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'postroom-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = (await server.run()) as AddressInfo;
  return {
    port,
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

const options = (port: number, bucket: string): S3BlobOptions => ({
  endPoint: '127.0.0.1',
  port,
  useSSL: false,
  ...CREDENTIALS,
  bucket,
  region: 'us-east-1',
});

blobStoreContract(
  's3 (s3rver)',
  async () => {
    const s3 = await startS3();
    const store = await createS3BlobStore(options(s3.port, 'postroom-blobs'));
    return { store, cleanup: s3.close };
  },
  { signedUrls: true },
);

it('creates the bucket when missing and reuses it when present', async () => {
  const s3 = await startS3();
  try {
    const first = await createS3BlobStore(options(s3.port, 'fresh-bucket'));
    await first.put('t/raw/x', new Uint8Array([1, 2, 3]));
    const second = await createS3BlobStore(options(s3.port, 'fresh-bucket'));
    expect(Array.from(await second.get('t/raw/x'))).toEqual([1, 2, 3]);
  } finally {
    await s3.close();
  }
});
