import { describe, expect, it } from 'vitest';
import { attachmentKey, bodyKey, rawMailKey, sha256Hex } from './blob-store';
import { openBlobStore, type BlobConfig } from './open-blob-store';

const SHA = sha256Hex(new TextEncoder().encode('abc'));

describe('blob keys', () => {
  it('computes the sha256 of bytes as lowercase hex (FIPS 180-4 test vector "abc")', () => {
    expect(SHA).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('puts the tenant first and the kind second', () => {
    expect(rawMailKey('acme', SHA)).toBe(`acme/raw/${SHA}`);
    expect(attachmentKey('acme', SHA)).toBe(`acme/att/${SHA}`);
    expect(bodyKey('acme', 'imap-1a2b')).toBe('acme/body/imap-1a2b');
  });

  it('refuses segments that would escape the tenant prefix', () => {
    expect(() => rawMailKey('acme/other', SHA)).toThrow(/tenant id/);
    expect(() => attachmentKey('', SHA)).toThrow(/tenant id/);
    expect(() => bodyKey('acme', '../x')).toThrow(/mail id/);
    expect(() => bodyKey('..', 'm')).toThrow(/tenant id/);
  });

  it('refuses a digest that is not a lowercase hex sha256', () => {
    expect(() => rawMailKey('acme', SHA.toUpperCase())).toThrow(/sha256/);
    expect(() => attachmentKey('acme', 'abc')).toThrow(/sha256/);
  });
});

describe('openBlobStore', () => {
  it('names the missing S3 setting when BLOB_BACKEND=s3', async () => {
    const config: BlobConfig = { BLOB_BACKEND: 's3', S3_USE_SSL: false, S3_REGION: 'us-east-1', S3_ENDPOINT: '127.0.0.1' };
    const bus = { nc: undefined as never, namespace: 'x' };
    await expect(openBlobStore(config, bus)).rejects.toThrow('S3_ACCESS_KEY: required when BLOB_BACKEND=s3');
  });
});
