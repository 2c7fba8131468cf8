/**
 * The classifier stage on real NATS JetStream and the embedded blob store:
 * a MailParsed (the bounce fixture, body text in the blob store) becomes a
 * MailClassified with a BOUNCE verdict and the bounce facts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent, runStage, type StageRunner } from '@postroom/bus';
import { bodyKey, createNatsBlobStore, type BlobStore } from '@postroom/blob';
import {
  BlobRefSchema,
  MailBodySchema,
  MailClassifiedSchema,
  MailKind,
  MailParsedSchema,
  MailRefSchema,
  create,
  fromBinary,
  toBinary,
} from '@postroom/contracts';
import { parseMail, toMailParsed } from '@postroom/mail';
import { createTestEnv, waitFor, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { FIXTURES } from './mail';

let env: TestEnv;
let blobs: BlobStore;
let runner: StageRunner;

beforeAll(async () => {
  env = await createTestEnv();
  blobs = await createNatsBlobStore(env.bus);
  runner = runStage(env.bus, {
    stage: 'classifier',
    input: MailParsedSchema,
    handle: createHandler({ blobs, subjects: env.bus.subjects }),
    tenantOf: (e) => e.mail?.tenantId ?? '',
    logger: env.logger,
  });
});

afterAll(async () => {
  await runner?.stop();
  await env?.cleanup();
});

describe('classifier stage (real NATS)', () => {
  it('classifies a text-only qmail bounce using the stored body', async () => {
    const mailId = 'c'.repeat(32);
    const parsed = await parseMail(readFileSync(new URL('corpus/bounce/qmail-failure-notice.eml', FIXTURES)));
    const body = await blobs.put(bodyKey('tenant-int', mailId), toBinary(MailBodySchema, create(MailBodySchema, { text: parsed.text })));
    const event = toMailParsed(parsed, {
      mail: create(MailRefSchema, { tenantId: 'tenant-int', mailboxId: 'mb', mailId }),
      body: create(BlobRefSchema, { key: body.key, size: BigInt(body.size), sha256: body.sha256 }),
    });
    await publishEvent(env.bus, { subject: env.bus.subjects.mailParsed, schema: MailParsedSchema, event, msgId: `parsed:${mailId}` });
    const stored = await waitFor('mail.v1.classified', async () =>
      (await env.bus.jsm.streams.getMessage(env.bus.subjects.stream('MAIL'), { last_by_subj: env.bus.subjects.mailClassified })) ?? undefined,
    );
    const classified = fromBinary(MailClassifiedSchema, stored.data);
    expect(stored.header?.get('Nats-Msg-Id')).toBe(`classified:${mailId}`);
    expect(classified.parsed?.messageId).toBe(parsed.messageId);
    expect(classified.verdict?.kind).toBe(MailKind.BOUNCE);
    expect(classified.verdict?.bounce).toMatchObject({
      recipients: ['nobody.here@example.net'],
      permanent: true,
      originalMessageId: '20250118080000.77aa88@example.com',
    });
  });
});
