/**
 * The fetcher stage: pointer in, raw bytes in the blob store (claim check,
 * architecture invariant 1), MailFetched out. It never acks or publishes;
 * runStage does both after the handler's effects are durable.
 */
import type { Emit, StageContext } from '@postroom/bus';
import { rawMailKey, sha256Hex } from '@postroom/blob';
import { create, MailFetchedSchema, Provider, type MailPointer } from '@postroom/contracts';
import { TerminalError } from '@postroom/errors';
import type { BlobStore, RawMessageSource } from './ports';

export interface FetcherDeps {
  blobs: BlobStore;
  source: RawMessageSource;
  subjects: { mailFetched: string };
  /** Mail above this many bytes is not downloaded (RFC822.SIZE decides). */
  maxMessageBytes: number;
}

function fetched(subject: string, pointer: MailPointer, raw: { key: string; size: bigint; sha256: string }): Emit {
  const event = create(MailFetchedSchema, { mail: pointer.mail, raw });
  return { subject, schema: MailFetchedSchema, event, msgId: `fetched:${pointer.mail!.mailId}` };
}

export function overLimit(size: number | bigint, limit: number): TerminalError {
  return new TerminalError('OVER_LIMIT', `message is ${size} bytes, above the ${limit}-byte limit`);
}

export const createHandler = (deps: FetcherDeps) => async (pointer: MailPointer, ctx: StageContext): Promise<Emit[]> => {
  const mail = pointer.mail;
  if (!mail?.tenantId || !mail.mailId) throw new TerminalError('INVALID_POINTER', 'pointer without tenant or mail id');
  // SMTP and import deliver the bytes with the notice: nothing to fetch.
  if (pointer.raw?.key) return [fetched(deps.subjects.mailFetched, pointer, pointer.raw)];
  const source = mail.source;
  if (source?.provider !== Provider.IMAP) {
    throw new TerminalError('UNSUPPORTED_PROVIDER', `no fetcher for provider ${source?.provider ?? 'unknown'}`);
  }
  // An oversized message (by the size ingress read) still goes to the source: it is not downloaded,
  // but its headers are read, so the dead letter says what the mail was (issue 3, item 9).
  const ref = { tenantId: mail.tenantId, mailboxId: mail.mailboxId, folder: source.folder, uidValidity: source.uidValidity, uid: source.uid };
  const bytes = await deps.source.fetchRaw(ref, deps.maxMessageBytes, Number(source.sizeHint));
  ctx.working();
  const sha256 = sha256Hex(bytes);
  const key = rawMailKey(mail.tenantId, sha256);
  await deps.blobs.put(key, bytes, { contentType: 'message/rfc822' });
  return [fetched(deps.subjects.mailFetched, pointer, { key, size: BigInt(bytes.length), sha256 })];
};
