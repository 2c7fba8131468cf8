import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BlobNotFoundError, attachmentKey, bodyKey, rawMailKey, type BlobRef, type BlobStore } from '@postroom/blob';
import { BlobRefSchema, MailBodySchema, MailFetchedSchema, MailRefSchema, create, fromBinary, subjects, type MailParsed } from '@postroom/contracts';
import { TerminalError } from '@postroom/errors';
import { MAX_INLINE_BODY_BYTES, createHandler } from './handler';

const fixture = (name: string) => readFileSync(new URL(`../../../libs/testing/fixtures/eml/${name}`, import.meta.url));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A Map-backed blob store with the BlobStore contract's put/get semantics. */
function memoryBlobs() {
  const data = new Map<string, Uint8Array>();
  const store: Pick<BlobStore, 'get' | 'put'> = {
    async put(key, bytes, opts): Promise<BlobRef> {
      data.set(key, Uint8Array.from(bytes));
      return { key, sha256: sha(bytes), size: bytes.byteLength, contentType: opts?.contentType };
    },
    async get(key) {
      const v = data.get(key);
      if (!v) throw new BlobNotFoundError(key);
      return v;
    },
  };
  return { store, data };
}

const TENANT = 'tenant-a';
const MAIL_ID = '0123456789abcdef0123456789abcdef';

async function setup(name: string, limits = {}, raw: Uint8Array = fixture(name)) {
  const { store, data } = memoryBlobs();
  const ref = await store.put(rawMailKey(TENANT, sha(raw)), raw);
  const event = create(MailFetchedSchema, {
    mail: create(MailRefSchema, { tenantId: TENANT, mailboxId: 'mb-1', mailId: MAIL_ID }),
    raw: create(BlobRefSchema, { key: ref.key, size: BigInt(ref.size), sha256: ref.sha256 }),
  });
  const handle = createHandler({ blobs: store, limits, subjects: subjects('tparser') });
  return { handle, event, data, raw };
}

describe('parser handler', () => {
  it('stores attachments, carries a small body inline, and emits one MailParsed with a stable msgId', async () => {
    const { handle, event, data } = await setup('html-inline-image-pdf.eml');
    const emits = await handle(event);
    expect(emits).toHaveLength(1);
    const [emit] = emits;
    expect(emit.subject).toBe('tparser.mail.v1.parsed');
    expect(emit.msgId).toBe(`parsed:${MAIL_ID}`);
    const parsed = emit.event as MailParsed;
    expect(parsed.mail?.tenantId).toBe(TENANT);
    expect(parsed.raw?.key).toBe(event.raw?.key);
    expect(parsed.subject).toBe('Display flackert – TX-200');
    expect(parsed.attachments.map((a) => [a.index, a.filename, a.inline, a.contentId])).toEqual([
      [0, 'display.png', true, 'photo1@example.net'],
      [1, 'Rechnung 2025-0113.pdf', false, ''],
      [2, 'attachment-3.bin', false, ''],
    ]);
    for (const a of parsed.attachments) {
      expect(a.blob?.key).toBe(attachmentKey(TENANT, a.blob?.sha256 ?? ''));
      const stored = data.get(a.blob?.key ?? '');
      expect(stored && sha(stored)).toBe(a.blob?.sha256);
      expect(BigInt(stored?.byteLength ?? -1)).toBe(a.size);
    }
    expect(parsed.body).toBeUndefined();
    expect(data.has(bodyKey(TENANT, MAIL_ID))).toBe(false);
    const body = parsed.inlineBody;
    expect(body?.text).toContain('the display of my TX-200 flickers');
    expect(body?.html).toContain('cid:photo1@example.net');
    expect(body?.html).not.toContain('<script');
  });

  it('stores a body over the inline cap as a blob and references it instead', async () => {
    const text = Array.from({ length: 1200 }, (_, i) => `line ${i} `.padEnd(76, 'x')).join('\r\n');
    const raw = new TextEncoder().encode(
      `From: a@customer.test\r\nTo: support@acme.test\r\nSubject: Long\r\nMessage-ID: <long@customer.test>\r\n\r\n${text}\r\n`,
    );
    const { handle, event, data } = await setup('', {}, raw);
    const parsed = (await handle(event))[0].event as MailParsed;
    expect(parsed.inlineBody).toBeUndefined();
    expect(parsed.body?.key).toBe(bodyKey(TENANT, MAIL_ID));
    const stored = data.get(bodyKey(TENANT, MAIL_ID)) ?? new Uint8Array();
    expect(stored.byteLength).toBeGreaterThan(MAX_INLINE_BODY_BYTES);
    expect(parsed.body?.sha256).toBe(sha(stored));
    const body = fromBinary(MailBodySchema, stored);
    expect(body.text).toContain('line 1199 x');
  });

  it('gives the same event when the same fetched mail is handled twice', async () => {
    const { handle, event, data } = await setup('bounce-postfix.eml');
    const first = (await handle(event))[0].event as MailParsed;
    const keys = [...data.keys()].sort();
    const second = (await handle(event))[0].event as MailParsed;
    expect(second).toEqual(first);
    expect([...data.keys()].sort()).toEqual(keys);
    expect(first.reportParts.map((p) => p.contentType)).toEqual(['message/delivery-status', 'message/rfc822']);
    expect(first.hasReturnPath).toBe(true);
  });

  it('fails terminally on an unparseable mail and an oversized one', async () => {
    const bad = await setup('malformed-unparseable.eml');
    await expect(bad.handle(bad.event)).rejects.toMatchObject({ code: 'UNPARSEABLE' });
    const big = await setup('html-inline-image-pdf.eml', { maxBytes: 1024 });
    const err = await big.handle(big.event).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err).toMatchObject({ code: 'OVER_LIMIT' });
  });

  it('refuses a mail whose declared size is over the limit without loading it', async () => {
    const { handle, event } = await setup('plain-customer.eml', { maxBytes: 2048 });
    const big = create(MailFetchedSchema, { ...event, raw: create(BlobRefSchema, { key: `${TENANT}/raw/${'f'.repeat(64)}`, size: 4096n }) });
    await expect(handle(big)).rejects.toMatchObject({ code: 'OVER_LIMIT' });
  });

  it('fails terminally when the stored raw does not match the event hash', async () => {
    const { handle, event, data } = await setup('plain-customer.eml');
    data.set(event.raw?.key ?? '', new TextEncoder().encode('Subject: swapped\r\n\r\nother bytes\r\n'));
    await expect(handle(event)).rejects.toMatchObject({ code: 'RAW_CORRUPT' });
  });

  it('lets a missing raw blob fail as a retryable (non-terminal) error', async () => {
    const { handle, event } = await setup('plain-customer.eml');
    const missing = create(MailFetchedSchema, { ...event, raw: create(BlobRefSchema, { key: `${TENANT}/raw/${'0'.repeat(64)}` }) });
    const err = await handle(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobNotFoundError);
    expect(err).not.toBeInstanceOf(TerminalError);
  });
});
