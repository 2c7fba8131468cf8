/**
 * Encryption at rest for mailbox credentials (passwords, OAuth tokens).
 * AES-256-GCM (NIST SP 800-38D) with a fresh random 96-bit IV per message —
 * the IV length GCM is specified for — and a 128-bit tag, so any change to
 * the sealed text fails to open instead of yielding garbage.
 *
 * Format: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). The key id
 * (first 8 hex of sha256(key)) names the key that sealed a value, so keys can
 * be rotated: the current key seals, previous keys still open, and
 * `needsRotation` tells a re-encryption job which values to re-seal.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretBox {
  /** Encrypts with the current key. */
  seal(plaintext: string): string;
  /** Decrypts with whichever configured key sealed the value; throws when it was tampered with or the key is unknown. */
  open(sealed: string): string;
  /** True when the value was sealed with a key other than the current one. */
  needsRotation(sealed: string): boolean;
}

export interface SecretBoxOptions {
  /** Current key: 32 random bytes, base64. */
  key: string;
  /** Keys that sealed older values; they open but never seal. */
  previousKeys?: string[];
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  id: string;
  bytes: Buffer;
}

/** First 8 hex characters of sha256(key bytes): identifies a key without revealing it. */
export function keyIdOf(key: string): string {
  return toKey(key).id;
}

function toKey(base64: string): Key {
  const bytes = Buffer.from(base64.trim(), 'base64');
  if (bytes.length !== 32) {
    throw new Error(`encryption key must be 32 bytes (base64), got ${bytes.length} bytes`);
  }
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

interface Parts {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parse(sealed: string): Parts {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new Error(`sealed value is not in the ${VERSION}.<keyId>.<iv>.<ciphertext>.<tag> format`);
  }
  const [, keyId, iv, ciphertext, tag] = parts;
  const out = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
  if (out.iv.length !== IV_BYTES || out.tag.length !== TAG_BYTES) {
    throw new Error(`sealed value (key ${keyId}) has a malformed IV or tag`);
  }
  return out;
}

function seal(key: Key, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, key.id, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
}

function open(keys: Map<string, Key>, sealed: string): string {
  const parts = parse(sealed);
  const key = keys.get(parts.keyId);
  if (!key) {
    throw new Error(
      `sealed value was encrypted with key ${parts.keyId}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_PREVIOUS_KEYS`,
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(parts.tag);
  try {
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new Error(`sealed value failed authentication with key ${parts.keyId} (tampered or corrupted)`, { cause: err });
  }
}

/** A SecretBox sealing with `key` and opening with `key` or any of `previousKeys`. */
export function createSecretBox(opts: SecretBoxOptions): SecretBox {
  const current = toKey(opts.key);
  const keys = new Map<string, Key>([[current.id, current]]);
  for (const previous of opts.previousKeys ?? []) {
    const key = toKey(previous);
    if (!keys.has(key.id)) keys.set(key.id, key);
  }
  return {
    seal: (plaintext) => seal(current, plaintext),
    open: (sealed) => open(keys, sealed),
    needsRotation: (sealed) => parse(sealed).keyId !== current.id,
  };
}
