/**
 * The classifier process itself (services/classifier/src/main.ts, as the
 * pipeline runs it) with CLASSIFIER_RSPAMD_URL set: it opens the database
 * for the mailboxes' thresholds, reads the raw message from the blob store
 * and publishes rspamd's verdict.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNatsBlobStore, rawMailKey, sha256Hex } from '@postroom/blob';
import { publishEvent } from '@postroom/bus';
import { BlobRefSchema, MailClassifiedSchema, MailKind, MailParsedSchema, MailRefSchema, create, fromBinary } from '@postroom/contracts';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant } from '@postroom/db';
import { parseMail, toMailParsed } from '@postroom/mail';
import { createTestEnv, startPipeline, startRspamd, waitFor, type Pipeline, type RspamdServer, type TestEnv } from '@postroom/testing';

const ROOT = resolve(import.meta.dirname, '../../..');
const GTUBE_MAIL = 'From: a@example.com\r\nTo: help@example.org\r\nSubject: Test\r\nMessage-ID: <gtube@example.com>\r\n\r\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n';

let env: TestEnv;
let rspamd: RspamdServer;
let pipeline: Pipeline;
const logDir = mkdtempSync(join(tmpdir(), 'postroom-classifier-logs-'));

beforeAll(async () => {
  [env, rspamd] = await Promise.all([createTestEnv(), startRspamd()]);
  pipeline = await startPipeline({
    root: ROOT, services: ['classifier'], logDir,
    env: { NATS_URL: env.natsUrl, NATS_NAMESPACE: env.namespace, DATABASE_URL: env.databaseUrl, LOG_LEVEL: 'warn', CLASSIFIER_RSPAMD_URL: rspamd.url },
  });
}, 120_000);
afterAll(async () => {
  await pipeline?.stop();
  await Promise.all([rspamd?.stop(), env?.cleanup()]);
  rmSync(logDir, { recursive: true, force: true });
});

describe('the classifier service with rspamd', () => {
  it('publishes a SPAM verdict with rspamd\'s evidence for GTUBE', async () => {
    const tenantId = (await createTenant(env.ds, { name: 'Svc', slug: `svc-${randomUUID().slice(0, 8)}` })).id;
    const box = await createMailbox(env.ds, createSecretBox({ key: randomBytes(32).toString('base64') }), {
      tenantId, name: 'Help', address: 'help@example.org', provider: 'imap', settings: { classification: { spamThreshold: 10 } },
    });
    const bytes = new TextEncoder().encode(GTUBE_MAIL);
    const ref = await (await createNatsBlobStore(env.bus)).put(rawMailKey(tenantId, sha256Hex(bytes)), bytes);
    const mailId = randomBytes(16).toString('hex');
    const event = toMailParsed(await parseMail(bytes), {
      mail: create(MailRefSchema, { tenantId, mailboxId: box.id, mailId }),
      raw: create(BlobRefSchema, { key: ref.key, size: BigInt(ref.size), sha256: ref.sha256 }),
    });
    await publishEvent(env.bus, { subject: env.bus.subjects.mailParsed, schema: MailParsedSchema, event, msgId: `parsed:${mailId}` }, { tenantId });
    const stored = await waitFor('mail.v1.classified', async () =>
      (await env.bus.jsm.streams.getMessage(env.bus.subjects.stream('MAIL'), { last_by_subj: env.bus.subjects.mailClassified }).catch(() => null)) ?? undefined,
    );
    const verdict = fromBinary(MailClassifiedSchema, stored.data).verdict!;
    expect(verdict.kind).toBe(MailKind.SPAM);
    expect(verdict.reasons[0]).toMatchObject({ rule: 'rspamd' });
    expect(verdict.reasons[0].detail).toMatch(/^score 15 ≥ mailbox threshold 10; action "reject"/);
  });
});
