/**
 * The claim check (architecture invariant 1): raw MIME and attachment bytes
 * never ride on NATS; they go to a blob store and events carry the key, size
 * and sha256. Keys are content-addressed where the content is (raw mail,
 * attachments), so storing the same bytes twice is a no-op, and every key
 * starts with the tenant id (invariant 6).
 */
import { createHash } from 'node:crypto';

/** What a put stored: events carry these instead of the bytes. */
export interface BlobRef {
  key: string;
  /** Lowercase hex sha256 of the bytes. */
  sha256: string;
  size: number;
  contentType?: string;
}

export interface PutOptions {
  contentType?: string;
}

export interface BlobStore {
  /** Stores the bytes under `key`; storing the same key again is harmless (idempotent). */
  put(key: string, bytes: Uint8Array, opts?: PutOptions): Promise<BlobRef>;
  /** The bytes; BlobNotFoundError when the key is missing. */
  get(key: string): Promise<Uint8Array>;
  has(key: string): Promise<boolean>;
  /** Removes the blob; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A time-limited URL that reads the blob without credentials, if the backend can make one. */
  signedGetUrl?(key: string, ttlSeconds: number): Promise<string>;
}

export class BlobNotFoundError extends Error {
  readonly code = 'BLOB_NOT_FOUND';
  readonly key: string;

  constructor(key: string, options?: { cause?: unknown }) {
    super(`blob ${key} not found`, options);
    this.name = 'BlobNotFoundError';
    this.key = key;
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function segment(what: string, value: string): string {
  if (value === '' || value.includes('/') || value === '.' || value === '..') {
    throw new Error(`${what} "${value}" cannot be part of a blob key (empty, "/", "." or "..")`);
  }
  return value;
}

function digest(value: string): string {
  if (!/^[0-9a-f]{64}$/.test(value)) throw new Error(`"${value}" is not a lowercase hex sha256`);
  return value;
}

/** `<tenant>/raw/<sha256>`: the raw RFC 5322 message as fetched. */
export function rawMailKey(tenantId: string, sha256: string): string {
  return `${segment('tenant id', tenantId)}/raw/${digest(sha256)}`;
}

/** `<tenant>/att/<sha256>`: one attachment's decoded bytes. */
export function attachmentKey(tenantId: string, sha256: string): string {
  return `${segment('tenant id', tenantId)}/att/${digest(sha256)}`;
}

/** `<tenant>/body/<mailId>`: the parsed body document (protobuf MailBody). */
export function bodyKey(tenantId: string, mailId: string): string {
  return `${segment('tenant id', tenantId)}/body/${segment('mail id', mailId)}`;
}

export function blobRef(key: string, bytes: Uint8Array, contentType?: string): BlobRef {
  const ref: BlobRef = { key, sha256: sha256Hex(bytes), size: bytes.byteLength };
  if (contentType !== undefined) ref.contentType = contentType;
  return ref;
}
