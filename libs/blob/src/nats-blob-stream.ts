/**
 * The JetStream stream behind the embedded blob store: one subject per key,
 * the last message on it is the blob. Every setting here is one NATS 2.9
 * understands: `max_msgs_per_subject: 1` makes a put replace the previous
 * bytes (no history is kept), and `allow_direct` (2.9+) lets a get be one
 * direct-get request answered by the stream itself, without a consumer.
 */
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { isMessageNotFound, JetStreamApiError } from '@nats-io/jetstream/internal';

export function blobStreamConfig(stream: string): Partial<StreamConfig> & { name: string } {
  return {
    name: stream,
    description: 'Postroom raw mail, attachments and bodies (embedded blob store)',
    subjects: [`${stream}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_msgs_per_subject: 1,
    allow_direct: true,
    num_replicas: 1,
  };
}

/**
 * The subject holding `key`: `<stream>.<base64url(key)>`. Keys contain `/`
 * and may contain `.`, `*` or `>`, which are not literal in a subject token;
 * base64url's alphabet (A-Z a-z 0-9 - _) always is.
 */
export function blobSubject(stream: string, key: string): string {
  if (key === '') throw new Error('a blob key cannot be empty');
  return `${stream}.${Buffer.from(key, 'utf8').toString('base64url')}`;
}

const isNotFound = (err: unknown) => err instanceof JetStreamApiError && (err.status === 404 || isMessageNotFound(err));

/** Creates the stream when missing, and restores the settings the store relies on when they drifted. */
export async function ensureBlobStream(jsm: JetStreamManager, stream: string): Promise<void> {
  const want = blobStreamConfig(stream);
  let have: StreamConfig;
  try {
    have = (await jsm.streams.info(stream)).config;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.streams.add(want);
    return;
  }
  const keys = ['subjects', 'max_msgs_per_subject', 'allow_direct'] as const;
  if (keys.every((k) => JSON.stringify(have[k]) === JSON.stringify(want[k]))) return;
  const { name: _name, storage: _storage, retention: _retention, ...update } = want;
  await jsm.streams.update(stream, update);
}
