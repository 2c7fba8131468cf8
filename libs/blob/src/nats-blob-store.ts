/**
 * The embedded blob store (BLOB_BACKEND=nats), so a newcomer runs everything
 * with NATS and PostgreSQL alone. JetStream fsyncs lazily (every 2 minutes by
 * default), so acked bytes can be lost on an OS crash; production uses S3
 * (see README).
 *
 * A blob is the one message on `<stream>.<base64url(key)>` of the stream
 * `<namespace or postroom>_blobs` (nats-blob-stream.ts). A put is one publish,
 * with the sha256 and content type in headers; a get is one direct get of the
 * subject's last message, answered by the stream without a consumer; a delete
 * purges the subject. The NATS object store this replaces cost three
 * JetStream requests per put and an info plus an ordered consumer per get,
 * which made the NATS server the pipeline's largest CPU consumer.
 *
 * Blobs larger than one message (the server's max_payload, 1 MB by default,
 * less room for headers) go to a NATS object store over `OBJ_<stream>`
 * instead (nats-object-blobs.ts); every read asks the stream first and falls
 * through to the object store on a miss. That object store also holds what
 * earlier versions wrote, so those blobs stay readable. Chunking large blobs
 * across subjects of this stream was the alternative, but it needs its own
 * manifest and a safe clean-up of superseded chunks under concurrent puts,
 * which the object store already gets right; large blobs are rare, so their
 * extra requests do not matter. A large put purges the key's message so an
 * older small version cannot shadow it; a small put over an older large one
 * leaves that object unread until delete(), which removes both.
 *
 * Idempotency: with one message per subject, repeating a small put replaces
 * the message with the same bytes; a large put writes nothing when the
 * object's digest and size already match.
 */
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { BlobNotFoundError, blobRef, sha256Hex, type BlobRef, type BlobStore, type PutOptions } from './blob-store';
import { blobSubject, ensureBlobStream } from './nats-blob-stream';
import { objectBlobs, type ObjectBlobs } from './nats-object-blobs';

/** The part of `@postroom/bus`'s Bus this backend needs. */
export interface NatsBlobBus {
  nc: NatsConnection;
  namespace: string;
}

export interface NatsBlobOptions {
  /** Stream name and subject prefix; default `${namespace || 'postroom'}_blobs`. */
  stream?: string;
}

const SHA256_HEADER = 'Postroom-Blob-Sha256';
const CONTENT_TYPE_HEADER = 'Postroom-Blob-Content-Type';
/** Room left in max_payload for the header block (our two headers take < 400 bytes). */
const HEADER_ROOM = 4096;
/** nats-server's default max_payload, for a connection that has not reported one. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** The largest blob stored as one message on this connection's server. */
export function maxInlineBytes(nc: NatsConnection): number {
  return (nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD) - HEADER_ROOM;
}

interface Backend {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  maxInline: number;
  large: ObjectBlobs;
}

/** A content type as a header value: CR/LF would break the header block (mail supplies these strings). */
const headerSafe = (value: string) => value.replace(/[\r\n]+/g, ' ').slice(0, 255);

async function put(b: Backend, key: string, bytes: Uint8Array, opts?: PutOptions): Promise<BlobRef> {
  const ref = blobRef(key, bytes, opts?.contentType);
  const subject = blobSubject(b.stream, key);
  if (bytes.byteLength > b.maxInline) {
    await b.large.put(key, bytes, ref.sha256, opts);
    await b.jsm.streams.purge(b.stream, { filter: subject });
    return ref;
  }
  const h = headers();
  h.set(SHA256_HEADER, ref.sha256);
  if (opts?.contentType) h.set(CONTENT_TYPE_HEADER, headerSafe(opts.contentType));
  await b.js.publish(subject, bytes, { headers: h });
  return ref;
}

/** The stream's copy, checked against the sha256 it was stored with, or null when the subject is empty. */
async function getInline(b: Backend, key: string): Promise<Uint8Array | null> {
  const msg = await b.jsm.direct.getMessage(b.stream, { last_by_subj: blobSubject(b.stream, key) });
  if (msg === null) return null;
  const expected = msg.header?.get(SHA256_HEADER);
  if (expected && sha256Hex(msg.data) !== expected) {
    throw new Error(`blob ${key}: stored bytes do not match their sha256 ${expected}`);
  }
  return msg.data;
}

async function get(b: Backend, key: string): Promise<Uint8Array> {
  const bytes = (await getInline(b, key)) ?? (await b.large.get(key));
  if (bytes === null) throw new BlobNotFoundError(key);
  return bytes;
}

/** Opens (creating when missing) the stream and returns a BlobStore over it. */
export async function createNatsBlobStore(bus: NatsBlobBus, opts: NatsBlobOptions = {}): Promise<BlobStore> {
  const stream = opts.stream ?? `${bus.namespace || 'postroom'}_blobs`;
  const jsm = await jetstreamManager(bus.nc, { checkAPI: false });
  await ensureBlobStream(jsm, stream);
  const b: Backend = {
    js: jetstream(bus.nc), jsm, stream, maxInline: maxInlineBytes(bus.nc), large: objectBlobs(bus.nc, stream),
  };
  return {
    put: (key, bytes, putOpts) => put(b, key, bytes, putOpts),
    get: (key) => get(b, key),
    has: async (key) => (await getInline(b, key)) !== null || (await b.large.has(key)),
    delete: async (key) => {
      await b.jsm.streams.purge(b.stream, { filter: blobSubject(b.stream, key) });
      await b.large.delete(key);
    },
  };
}
