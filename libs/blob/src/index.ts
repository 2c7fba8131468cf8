/** Blob storage for raw mail, attachments and parsed bodies: one interface, two backends. */
export { BlobNotFoundError, attachmentKey, blobRef, bodyKey, rawMailKey, sha256Hex } from './blob-store';
export type { BlobRef, BlobStore, PutOptions } from './blob-store';
export { createNatsBlobStore } from './nats-blob-store';
export type { NatsBlobBus, NatsBlobOptions } from './nats-blob-store';
export { createS3BlobStore } from './s3-blob-store';
export type { S3BlobOptions } from './s3-blob-store';
export { openBlobStore } from './open-blob-store';
export type { BlobConfig } from './open-blob-store';
