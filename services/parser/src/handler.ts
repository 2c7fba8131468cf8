/**
 * The parser stage: MailFetched → MailParsed. Loads the raw mail from the
 * blob store, parses it, stores each attachment under its content address,
 * carries a small body document inline and stores a larger one under the
 * mail id (all idempotent, so a redelivery rewrites the same keys), and
 * returns the MailParsed event to publish.
 */
import { attachmentKey, bodyKey, type BlobRef as StoredRef } from '@postroom/blob';
import {
  BlobRefSchema,
  MailBodySchema,
  MailParsedSchema,
  create,
  toBinary,
  type BlobRef,
  type MailBody,
  type MailFetched,
  type MailParsed,
} from '@postroom/contracts';
import { TerminalError } from '@postroom/errors';
import { DEFAULT_PARSE_LIMITS, parseMail, toMailParsed, type ParsedAttachment } from '@postroom/mail';
import type { Emit, StageContext } from '@postroom/bus';
import { createHash } from 'node:crypto';
import type { ParserBlobs, ParserDeps } from './ports';

const toProto = (ref: StoredRef): BlobRef => create(BlobRefSchema, { key: ref.key, size: BigInt(ref.size), sha256: ref.sha256 });

/** Stores each distinct attachment once; returns one reference per attachment index. */
async function storeAttachments(blobs: ParserBlobs, tenantId: string, attachments: ParsedAttachment[]): Promise<BlobRef[]> {
  const stored = new Map<string, BlobRef>();
  for (const a of attachments) {
    if (stored.has(a.sha256)) continue;
    stored.set(a.sha256, toProto(await blobs.put(attachmentKey(tenantId, a.sha256), a.content, { contentType: a.contentType })));
  }
  return attachments.map((a) => stored.get(a.sha256) as BlobRef);
}

/**
 * At most this many encoded bytes travel inline in MailParsed.inline_body.
 * Saves a blob put and two direct gets per common email while keeping the
 * event (and MailClassified, which embeds it) far below NATS' 1 MB max payload.
 */
export const MAX_INLINE_BODY_BYTES = 64 * 1024;

/** The body document inline when small, else stored as a blob and referenced. */
async function placeBody(blobs: ParserBlobs, tenantId: string, mailId: string, doc: MailBody): Promise<Pick<MailParsed, 'body' | 'inlineBody'>> {
  const bytes = toBinary(MailBodySchema, doc);
  if (bytes.byteLength <= MAX_INLINE_BODY_BYTES) return { body: undefined, inlineBody: doc };
  return { body: toProto(await blobs.put(bodyKey(tenantId, mailId), bytes, { contentType: 'application/x-protobuf' })), inlineBody: undefined };
}

function requireFields(e: MailFetched): { tenantId: string; mailId: string; rawKey: string } {
  const tenantId = e.mail?.tenantId ?? '';
  const mailId = e.mail?.mailId ?? '';
  const rawKey = e.raw?.key ?? '';
  if (!tenantId || !mailId || !rawKey) {
    throw new TerminalError('INVALID_EVENT', `MailFetched lacks ${!tenantId ? 'tenant id' : !mailId ? 'mail id' : 'raw key'}`);
  }
  return { tenantId, mailId, rawKey };
}

/** The raw bytes must be what the fetcher stored; a mismatch means the blob store returned something else. */
function verifyRaw(e: MailFetched, raw: Uint8Array): void {
  const expected = e.raw?.sha256 ?? '';
  if (expected === '') return;
  const actual = createHash('sha256').update(raw).digest('hex');
  if (actual !== expected) throw new TerminalError('RAW_CORRUPT', `raw ${e.raw?.key} has sha256 ${actual}, event says ${expected}`);
}

/** Refuses before loading when the event already says the mail is too big (parseMail checks the bytes too). */
function checkDeclaredSize(e: MailFetched, maxBytes: number): void {
  const size = Number(e.raw?.size ?? 0n);
  if (size > maxBytes) throw new TerminalError('OVER_LIMIT', `mail of ${size} bytes is over the limit of ${maxBytes} bytes`);
}

export function createHandler(deps: ParserDeps) {
  const maxBytes = deps.limits.maxBytes ?? DEFAULT_PARSE_LIMITS.maxBytes;
  return async (e: MailFetched, ctx?: StageContext): Promise<Emit[]> => {
    const { tenantId, mailId, rawKey } = requireFields(e);
    checkDeclaredSize(e, maxBytes);
    const raw = await deps.blobs.get(rawKey);
    verifyRaw(e, raw);
    const parsed = await parseMail(raw, deps.limits);
    ctx?.working();
    const attachments = await storeAttachments(deps.blobs, tenantId, parsed.attachments);
    const { body, inlineBody } = await placeBody(deps.blobs, tenantId, mailId, create(MailBodySchema, { text: parsed.text, html: parsed.html }));
    const event = toMailParsed(parsed, { mail: e.mail, raw: e.raw, body, attachments });
    event.inlineBody = inlineBody;
    return [{ subject: deps.subjects.mailParsed, schema: MailParsedSchema, event, msgId: `parsed:${mailId}` }];
  };
}
