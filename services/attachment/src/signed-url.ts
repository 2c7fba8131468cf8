/**
 * Time-limited download links for attachments, so an agent's browser (or
 * another team's service) can fetch bytes without database or blob store
 * credentials. The signature is HMAC-SHA256 over tenant, attachment id and
 * expiry, so a link can be neither extended nor pointed at another
 * attachment or another tenant; it is compared in constant time.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';

function mac(key: Uint8Array, tenantId: string, attachmentId: string, expires: number): Buffer {
  return createHmac('sha256', key).update(`${VERSION}\n${tenantId}\n${attachmentId}\n${expires}`).digest();
}

export interface SignOptions {
  /** Public base URL of the attachment service, e.g. `https://files.example.com`. */
  baseUrl: string;
  key: Uint8Array;
  tenantId: string;
  attachmentId: string;
  expiresAt: Date;
}

/** `<baseUrl>/attachments/<tenant>/<id>?expires=<unix s>&sig=<base64url>` */
export function signAttachmentUrl(opts: SignOptions): string {
  const expires = Math.floor(opts.expiresAt.getTime() / 1000);
  const sig = mac(opts.key, opts.tenantId, opts.attachmentId, expires).toString('base64url');
  const path = `/attachments/${encodeURIComponent(opts.tenantId)}/${encodeURIComponent(opts.attachmentId)}`;
  return `${opts.baseUrl.replace(/\/+$/, '')}${path}?expires=${expires}&sig=${sig}`;
}

export type SignatureCheck = 'ok' | 'bad-signature' | 'expired';

/** Checks a link's signature first (so a forged link learns nothing about expiry), then its expiry. */
export function verifyAttachmentSignature(
  key: Uint8Array,
  link: { tenantId: string; attachmentId: string; expires: string | null; sig: string | null },
  now: Date,
): SignatureCheck {
  if (!link.expires || !/^\d{1,12}$/.test(link.expires) || !link.sig) return 'bad-signature';
  const expected = mac(key, link.tenantId, link.attachmentId, Number(link.expires));
  const given = Buffer.from(link.sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad-signature';
  return Number(link.expires) * 1000 < now.getTime() ? 'expired' : 'ok';
}

/** A URL-signing key derived from the encryption key (RFC 5869 HKDF), when no ATTACHMENT_URL_KEY is set. */
export function deriveUrlKey(encryptionKeyBase64: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', Buffer.from(encryptionKeyBase64, 'base64'), Buffer.alloc(0), 'postroom attachment urls v1', 32));
}
