/**
 * The parser stage on real NATS JetStream and the embedded blob store: a
 * MailFetched becomes one MailParsed with the attachments stored and the
 * small body inline; an unparseable mail lands in the dead-letter subject
 * with its reason and its raw bytes stay in the blob store.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters, publishEvent, runStage, type StageRunner } from '@postroom/bus';
import { bodyKey, createNatsBlobStore, rawMailKey, sha256Hex, type BlobStore } from '@postroom/blob';
import { BlobRefSchema, MailFetchedSchema, MailParsedSchema, MailRefSchema, create, fromBinary } from '@postroom/contracts';
import { createTestEnv, waitFor, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';

const fixture = (name: string) => readFileSync(new URL(`../../../libs/testing/fixtures/eml/${name}`, import.meta.url));

let env: TestEnv;
let blobs: BlobStore;
let runner: StageRunner;

beforeAll(async () => {
  env = await createTestEnv();
  blobs = await createNatsBlobStore(env.bus);
  const handle = createHandler({ blobs, limits: {}, subjects: env.bus.subjects });
  runner = runStage(env.bus, {
    stage: 'parser',
    input: MailFetchedSchema,
    handle,
    tenantOf: (e) => e.mail?.tenantId ?? '',
    logger: env.logger,
    policy: { baseDelayMs: 50, maxDelayMs: 200 },
  });
});

afterAll(async () => {
  await runner?.stop();
  await env?.cleanup();
});

async function fetched(name: string, mailId: string) {
  const raw = fixture(name);
  const ref = await blobs.put(rawMailKey('tenant-int', sha256Hex(raw)), raw);
  const event = create(MailFetchedSchema, {
    mail: create(MailRefSchema, { tenantId: 'tenant-int', mailboxId: 'mb', mailId }),
    raw: create(BlobRefSchema, { key: ref.key, size: BigInt(ref.size), sha256: ref.sha256 }),
  });
  await publishEvent(env.bus, { subject: env.bus.subjects.mailFetched, schema: MailFetchedSchema, event, msgId: `fetched:${mailId}` });
  return ref;
}

describe('parser stage (real NATS)', () => {
  it('publishes MailParsed for a fetched mail and stores its parts', async () => {
    await fetched('html-inline-image-pdf.eml', 'a'.repeat(32));
    const stored = await waitFor('mail.v1.parsed', async () =>
      (await env.bus.jsm.streams.getMessage(env.bus.subjects.stream('MAIL'), { last_by_subj: env.bus.subjects.mailParsed })) ?? undefined,
    );
    const parsed = fromBinary(MailParsedSchema, stored.data);
    expect(parsed.mail?.mailId).toBe('a'.repeat(32));
    expect(parsed.subject).toBe('Display flackert – TX-200');
    expect(parsed.attachments).toHaveLength(3);
    for (const a of parsed.attachments) expect(sha256Hex(await blobs.get(a.blob?.key ?? ''))).toBe(a.blob?.sha256);
    // A body this small rides inline in the event; no body blob is written.
    expect(parsed.body).toBeUndefined();
    expect(await blobs.has(bodyKey('tenant-int', 'a'.repeat(32)))).toBe(false);
    expect(parsed.inlineBody?.html).toContain('cid:photo1@example.net');
    expect(stored.header?.get('Nats-Msg-Id')).toBe(`parsed:${'a'.repeat(32)}`);
  });

  it('dead-letters an unparseable mail with its reason and keeps the raw bytes', async () => {
    const ref = await fetched('malformed-unparseable.eml', 'b'.repeat(32));
    const dead = await waitFor('a parser dead letter', async () => (await listDeadLetters(env.bus, { stage: 'parser' }))[0]);
    expect(dead.code).toBe('UNPARSEABLE');
    expect(dead.reason).toMatch(/no header section/);
    expect(fromBinary(MailFetchedSchema, dead.data).mail?.mailId).toBe('b'.repeat(32));
    expect(await blobs.has(ref.key)).toBe(true);
  });
});
