/** Picks the blob store backend from configuration (BLOB_BACKEND, S3_*). */
import type { BlobStore } from './blob-store';
import { createNatsBlobStore, type NatsBlobBus } from './nats-blob-store';
import { createS3BlobStore } from './s3-blob-store';

/** The blob settings of `@postroom/config`'s blobSchema (structurally). */
export interface BlobConfig {
  BLOB_BACKEND: 'nats' | 's3';
  S3_ENDPOINT?: string;
  S3_PORT?: number;
  S3_USE_SSL: boolean;
  S3_ACCESS_KEY?: string;
  S3_SECRET_KEY?: string;
  S3_BUCKET?: string;
  S3_REGION: string;
}

function required(config: BlobConfig, key: 'S3_ENDPOINT' | 'S3_ACCESS_KEY' | 'S3_SECRET_KEY' | 'S3_BUCKET'): string {
  const value = config[key];
  if (!value) throw new Error(`${key}: required when BLOB_BACKEND=s3`);
  return value;
}

export async function openBlobStore(config: BlobConfig, bus: NatsBlobBus): Promise<BlobStore> {
  if (config.BLOB_BACKEND === 'nats') return createNatsBlobStore(bus);
  return createS3BlobStore({
    endPoint: required(config, 'S3_ENDPOINT'),
    port: config.S3_PORT,
    useSSL: config.S3_USE_SSL,
    accessKey: required(config, 'S3_ACCESS_KEY'),
    secretKey: required(config, 'S3_SECRET_KEY'),
    bucket: required(config, 'S3_BUCKET'),
    region: config.S3_REGION,
  });
}
