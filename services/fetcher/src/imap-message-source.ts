/**
 * Reads messages by UID over the mailbox's pooled connection, several of one
 * folder per UID FETCH when they are asked for together (fetch-batch). The
 * folder is EXAMINEd (read-only) and the body fetched with BODY.PEEK
 * semantics, so the source mailbox is left untouched (no \Seen, RFC 3501
 * §6.4.5).
 */
import type { FetchQueryObject, ImapFlow } from 'imapflow';
import { TerminalError } from '@postroom/errors';
import { createFetchBatcher } from './fetch-batch';
import { overLimit } from './handler';
import type { ImapPool } from './imap-pool';
import type { ImapMessageRef, RawMessageSource } from './ports';

const SUMMARY_HEADERS = ['from', 'to', 'subject', 'date', 'message-id'];

/** The headers of an oversized message, one line, so the dead letter says what it was. */
async function headerSummary(client: ImapFlow, uid: number): Promise<string> {
  const msg = await client.fetchOne(String(uid), { uid: true, headers: SUMMARY_HEADERS }, { uid: true });
  if (!msg || !msg.headers) return '';
  return msg.headers.toString('utf8').replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/).filter(Boolean).join('; ');
}

/**
 * One UID FETCH on a pooled connection. The connection keeps its folder
 * selected, and a server only tells a session about messages that arrived
 * after SELECT when it syncs (RFC 3501 §7.3.1: EXISTS comes with NOOP/IDLE/a
 * command response); Dovecot returns nothing for a UID the session has not
 * seen yet. So a miss is retried once after a NOOP before the message counts
 * as gone.
 */
async function fetchByUid(client: ImapFlow, uid: number, query: FetchQueryObject) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const msg = await client.fetchOne(String(uid), { uid: true, ...query }, { uid: true });
    if (msg && msg.uid === uid) return msg;
    if (attempt === 0) await client.noop();
  }
  return undefined;
}

/** The message's size and flags, or undefined when the UID is gone. */
export const fetchMeta = (client: ImapFlow, uid: number) => fetchByUid(client, uid, { size: true, flags: true });

/**
 * Runs `fn` with the pointer's folder EXAMINEd (imapflow's lock keeps the
 * connection's other users out meanwhile), after checking the folder still
 * has the pointer's UIDVALIDITY: under another, its UIDs name other mail.
 */
async function inFolder<T>(client: ImapFlow, ref: Pick<ImapMessageRef, 'folder' | 'uidValidity'>, fn: () => Promise<T>): Promise<T> {
  const lock = await client.getMailboxLock(ref.folder, { readOnly: true });
  try {
    const current = client.mailbox ? Number(client.mailbox.uidValidity) : 0;
    if (current !== ref.uidValidity) {
      throw new TerminalError('UIDVALIDITY_CHANGED', `${ref.folder} UIDVALIDITY is ${current}, the pointer has ${ref.uidValidity}; ingress resyncs the folder`);
    }
    return await fn();
  } finally {
    lock.release();
  }
}

const asBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * The size check before the download costs a FETCH (RFC822.SIZE) of its own.
 * Ingress read RFC822.SIZE for this UID when it published the pointer, and a
 * message's size never changes under one UIDVALIDITY (RFC 3501 §2.3.1.1: the
 * message a UID names is immutable), so with that size known and within the
 * limit the bytes are fetched straight away; only an unknown size is asked first.
 */
function readMessage(client: ImapFlow, ref: ImapMessageRef, maxBytes: number, knownSize: number): Promise<Uint8Array> {
  return inFolder(client, ref, async () => {
    if (!(knownSize > 0 && knownSize <= maxBytes)) {
      const meta = await fetchMeta(client, ref.uid);
      if (!meta) {
        throw new TerminalError('MESSAGE_GONE', `UID ${ref.uid} is no longer in ${ref.folder} (expunged)`);
      }
      if ((meta.size ?? 0) > maxBytes) {
        const summary = await headerSummary(client, ref.uid).catch(() => '');
        const e = overLimit(meta.size ?? 0, maxBytes);
        throw new TerminalError(e.code, summary ? `${e.message}; ${summary}` : e.message);
      }
    }
    const source = (await fetchByUid(client, ref.uid, { source: true }))?.source;
    if (!source) throw new TerminalError('MESSAGE_GONE', `UID ${ref.uid} is no longer in ${ref.folder} (expunged)`);
    // A server that misreported the size (or a pointer that lied about it) still does not get past the limit.
    if (source.byteLength > maxBytes) throw overLimit(source.byteLength, maxBytes);
    return asBytes(source);
  });
}

/** One UID FETCH for several messages of one folder (fetch-batch); UIDs the server did not return are absent. */
function readMessages(client: ImapFlow, refs: ImapMessageRef[]): Promise<Map<number, Uint8Array>> {
  return inFolder(client, refs[0], async () => {
    const found = new Map<number, Uint8Array>();
    const uids = refs.map((r) => r.uid).join(',');
    for await (const msg of client.fetch(uids, { uid: true, source: true }, { uid: true })) {
      if (msg.source) found.set(msg.uid, asBytes(msg.source));
    }
    return found;
  });
}

/** Mail up to this size (by the pointer's RFC822.SIZE) is fetched in batches; larger mail alone, so one answer stays small. */
const BATCH_MEMBER_MAX_BYTES = 1024 * 1024;

export function createImapMessageSource(pool: ImapPool, opts: { maxBatch?: number } = {}): RawMessageSource {
  const readOne = (ref: ImapMessageRef, maxBytes: number, knownSize: number) =>
    pool.use(ref.tenantId, ref.mailboxId, (client) => readMessage(client, ref, maxBytes, knownSize));
  const batcher = createFetchBatcher((refs) => pool.use(refs[0].tenantId, refs[0].mailboxId, (client) => readMessages(client, refs)), opts.maxBatch);
  return {
    async fetchRaw(ref, maxBytes, knownSize = 0) {
      if (!(knownSize > 0 && knownSize <= Math.min(maxBytes, BATCH_MEMBER_MAX_BYTES))) return readOne(ref, maxBytes, knownSize);
      const bytes = await batcher.fetch(ref);
      if (bytes && bytes.byteLength > maxBytes) throw overLimit(bytes.byteLength, maxBytes);
      // Not in the batch's answer: alone, where a UID the session has not seen yet gets its NOOP and a gone one its error.
      return bytes ?? readOne(ref, maxBytes, knownSize);
    },
  };
}
