import { describe, expect, it } from 'vitest';
import { signAttachmentUrl, verifyAttachmentSignature } from './signed-url';

const key = Buffer.alloc(32, 1);
const now = new Date('2030-01-01T00:00:00Z');
const link = (url: string) => {
  const u = new URL(url);
  const [, , tenantId, attachmentId] = u.pathname.split('/');
  return { tenantId, attachmentId, expires: u.searchParams.get('expires'), sig: u.searchParams.get('sig') };
};
const url = signAttachmentUrl({ baseUrl: 'http://x/', key, tenantId: 't1', attachmentId: 'a1', expiresAt: new Date(now.getTime() + 60_000) });

describe('signed attachment URLs', () => {
  it('verify with the same key before expiry', () => {
    expect(url).toMatch(/^http:\/\/x\/attachments\/t1\/a1\?expires=\d+&sig=[\w-]+$/);
    expect(verifyAttachmentSignature(key, link(url), now)).toBe('ok');
  });

  it('refuse a changed id, tenant, expiry, signature or key', () => {
    expect(verifyAttachmentSignature(key, { ...link(url), attachmentId: 'a2' }, now)).toBe('bad-signature');
    expect(verifyAttachmentSignature(key, { ...link(url), tenantId: 't2' }, now)).toBe('bad-signature');
    expect(verifyAttachmentSignature(key, { ...link(url), expires: String(Number(link(url).expires) + 1) }, now)).toBe('bad-signature');
    expect(verifyAttachmentSignature(key, { ...link(url), sig: 'AAAA' }, now)).toBe('bad-signature');
    expect(verifyAttachmentSignature(key, { ...link(url), sig: null }, now)).toBe('bad-signature');
    expect(verifyAttachmentSignature(Buffer.alloc(32, 2), link(url), now)).toBe('bad-signature');
  });

  it('refuse an expired link', () => {
    expect(verifyAttachmentSignature(key, link(url), new Date(now.getTime() + 61_000))).toBe('expired');
  });
});
