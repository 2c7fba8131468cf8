/**
 * The production blob store: any S3 API (AWS S3, MinIO, …) through the
 * `minio` client, which also does the SigV4 signing for signed URLs. An S3
 * PUT replaces the object atomically, so repeating a put is idempotent.
 */
import { Client } from 'minio';
import type { Readable } from 'node:stream';
import { BlobNotFoundError, blobRef, type BlobStore } from './blob-store';

export interface S3BlobOptions {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/** S3 error codes meaning "no such object" (HeadObject answers without a body, hence NotFound). */
const isMissing = (err: unknown) => ['NoSuchKey', 'NotFound'].includes((err as { code?: string })?.code ?? '');

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

async function ensureBucket(client: Client, bucket: string, region: string): Promise<void> {
  if (await client.bucketExists(bucket)) return;
  try {
    await client.makeBucket(bucket, region);
  } catch (err) {
    // Another replica created it between our check and our create.
    const code = (err as { code?: string }).code;
    if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
  }
}

/** Connects, creates the bucket when missing, and returns a BlobStore over it. */
export async function createS3BlobStore(opts: S3BlobOptions): Promise<BlobStore> {
  const client = new Client({
    endPoint: opts.endPoint,
    port: opts.port,
    useSSL: opts.useSSL,
    accessKey: opts.accessKey,
    secretKey: opts.secretKey,
    region: opts.region,
  });
  const { bucket } = opts;
  await ensureBucket(client, bucket, opts.region);
  return {
    async put(key, bytes, putOpts) {
      const ref = blobRef(key, bytes, putOpts?.contentType);
      const meta: Record<string, string> = { 'x-amz-meta-sha256': ref.sha256 };
      if (putOpts?.contentType) meta['Content-Type'] = putOpts.contentType;
      await client.putObject(bucket, key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.byteLength, meta);
      return ref;
    },
    async get(key) {
      try {
        return await readAll(await client.getObject(bucket, key));
      } catch (err) {
        if (isMissing(err)) throw new BlobNotFoundError(key, { cause: err });
        throw err;
      }
    },
    async has(key) {
      try {
        await client.statObject(bucket, key);
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
    async delete(key) {
      await client.removeObject(bucket, key);
    },
    signedGetUrl: (key, ttlSeconds) => client.presignedGetObject(bucket, key, ttlSeconds),
  };
}
