import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentKey, createNatsBlobStore, sha256Hex, type BlobStore } from '@postroom/blob';
import { AttachmentsRecordedSchema, Direction, TicketMessageAddedSchema, create, type AttachmentsRecorded } from '@postroom/contracts';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, insertMessage } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { startDownloadServer, type DownloadServer } from '../src/download-server';
import { createHandler } from '../src/handler';
import { signAttachmentUrl } from '../src/signed-url';

let env: TestEnv;
let blobs: BlobStore;
let server: DownloadServer;
const key = Buffer.alloc(32, 9);
const pdf = new TextEncoder().encode('%PDF-1.4 quarterly numbers');

async function seedMessage(): Promise<{ tenantId: string; messageId: string }> {
  const tenant = await createTenant(env.ds, { name: 'Acme', slug: `acme-${randomUUID().slice(0, 8)}` });
  const mailbox = await createMailbox(env.ds, createSecretBox({ key: key.toString('base64') }), {
    tenantId: tenant.id, name: 'Support', address: 'support@acme.test', provider: 'imap', settings: {},
  });
  const message = await insertMessage(env.ds, {
    tenantId: tenant.id, id: randomUUID(), ticketId: null, mailboxId: mailbox.id, mailId: randomUUID(), direction: 'inbound',
    messageIdHeader: `${randomUUID()}@customer.test`, inReplyTo: [], references: [], fromAddress: 'a@customer.test', fromName: null,
    to: [], cc: [], replyTo: [], subject: 'files', textBody: '', htmlBody: null, kind: 'normal', verdict: null, matchedBy: null,
    sendStatus: null, automatic: false,
  });
  return { tenantId: tenant.id, messageId: message.id };
}

const added = async (tenantId: string, messageId: string) => {
  const ref = await blobs.put(attachmentKey(tenantId, sha256Hex(pdf)), pdf);
  const blob = { key: ref.key, size: BigInt(pdf.byteLength), sha256: sha256Hex(pdf) };
  return create(TicketMessageAddedSchema, {
    ticket: { tenantId, ticketId: randomUUID(), number: 1n }, messageId, direction: Direction.INBOUND,
    attachments: [
      { index: 0, filename: 'numbers.pdf', contentType: 'application/pdf', size: blob.size, blob },
      { index: 1, filename: 'invoice.pdf.exe', contentType: 'application/octet-stream', size: blob.size, blob },
      { index: 2, filename: 'logo.png', contentType: 'image/png', size: blob.size, blob, inline: true, contentId: 'logo@x' },
    ],
  });
};

beforeAll(async () => {
  env = await createTestEnv();
  blobs = await createNatsBlobStore(env.bus);
  server = await startDownloadServer({ db: env.ds, blobs, subjects: env.bus.subjects }, { host: '127.0.0.1', port: 0, key });
});
afterAll(async () => {
  await server?.close();
  await env?.cleanup();
});

describe('attachment service', () => {
  it('records one row per attachment, blocks executables without dropping them, and is idempotent', async () => {
    const { tenantId, messageId } = await seedMessage();
    const handle = createHandler({ db: env.ds, blobs, subjects: env.bus.subjects });
    const event = await added(tenantId, messageId);
    const [emit] = await handle(event);
    expect(emit.msgId).toBe(`attachments:${messageId}`);
    expect(emit.schema).toBe(AttachmentsRecordedSchema);
    const recorded = emit.event as AttachmentsRecorded;
    expect(recorded.attachments.map((a) => [a.filename, a.blockedReason, a.inline])).toEqual([
      ['numbers.pdf', '', false], ['invoice.pdf.exe', 'BLOCKED_TYPE', false], ['logo.png', '', true],
    ]);
    const again = (await handle(event))[0].event as AttachmentsRecorded;
    expect(again.attachments.map((a) => a.attachmentId)).toEqual(recorded.attachments.map((a) => a.attachmentId));
    const [{ n }] = await env.ds.query(`SELECT count(*)::int AS n FROM attachments WHERE tenant_id = $1`, [tenantId]);
    expect(n).toBe(3);
  });

  it('serves the bytes for a good signed link and refuses tampered, expired, cross-tenant and blocked ones', async () => {
    const { tenantId, messageId } = await seedMessage();
    const handle = createHandler({ db: env.ds, blobs, subjects: env.bus.subjects });
    const [pdfRow, exeRow] = ((await handle(await added(tenantId, messageId)))[0].event as AttachmentsRecorded).attachments;
    const baseUrl = `http://127.0.0.1:${server.port}`;
    const link = (attachmentId: string, opts: { tenant?: string; expiresAt?: Date } = {}) =>
      signAttachmentUrl({ baseUrl, key, tenantId: opts.tenant ?? tenantId, attachmentId, expiresAt: opts.expiresAt ?? new Date(Date.now() + 60_000) });

    const good = await fetch(link(pdfRow.attachmentId));
    expect(good.status).toBe(200);
    expect(new Uint8Array(await good.arrayBuffer())).toEqual(pdf);
    expect(good.headers.get('content-type')).toBe('application/pdf');
    expect(good.headers.get('content-disposition')).toContain('attachment; filename="numbers.pdf"');

    const tampered = link(pdfRow.attachmentId).replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A'));
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(link(pdfRow.attachmentId).replace(/expires=\d+/, (m) => `${m}0`))).status).toBe(403);
    expect((await fetch(link(pdfRow.attachmentId, { expiresAt: new Date(Date.now() - 1_000) }))).status).toBe(410);
    const other = await seedMessage();
    expect((await fetch(link(pdfRow.attachmentId, { tenant: other.tenantId }))).status).toBe(404);
    expect((await fetch(link(exeRow.attachmentId))).status).toBe(403);
  });
});
