/**
 * The classifier with a real rspamd (Debian's package, started by
 * libs/testing's startRspamd), real PostgreSQL for the mailboxes'
 * thresholds, and the NATS object store holding the raw messages.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNatsBlobStore, rawMailKey, sha256Hex, type BlobStore } from '@postroom/blob';
import { BlobRefSchema, MailKind, MailParsedSchema, MailRefSchema, create, toBinary, type MailClassified, type Verdict } from '@postroom/contracts';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, getClassificationSettings } from '@postroom/db';
import { parseMail, toMailParsed } from '@postroom/mail';
import { createTestEnv, startRspamd, type RspamdServer, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { createRspamdClient, SpamEngineError } from '../src/rspamd-client';
import { FIXTURES } from './mail';

const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
const HAM = 'From: Ann <ann@example.com>\r\nTo: help@example.org\r\nSubject: Printer\r\nMessage-ID: <ham-1@example.com>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHi, the printer is broken again. Can you help?\r\n';
/** No Date and no Message-ID: about 3.4 points, below every rspamd action. */
const SLOPPY = 'From: a@example.com\r\nTo: help@example.org\r\nSubject: Hello\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHi Bob, the printer is broken again.\r\n';
/** About 12 points: rspamd's "add header". */
const LOTTERY = 'From: "Lottery Dept" <winner@example.com>\r\nTo: undisclosed-recipients:;\r\nSubject: =?UTF-8?B?WU9VIEhBVkUgV09OICQxLDAwMCwwMDAhISE=?=\r\nReply-To: claims@example.org\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>CONGRATULATIONS!!! You have WON <b>$1,000,000</b>. Click <a href="http://192.0.2.10/claim">here</a> now!</p>\r\n';
const OOO = `From: Bob <bob@example.com>\r\nTo: help@example.org\r\nSubject: Out of office: Printer\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo-1@example.com>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nI am out of the office until Monday.\r\n${GTUBE}\r\n`;

let rspamd: RspamdServer;
let env: TestEnv;
let blobs: BlobStore;
let tenantId: string;
const mailboxes: Record<'plain' | 'strict' | 'lenient', string> = { plain: '', strict: '', lenient: '' };

beforeAll(async () => {
  [rspamd, env] = await Promise.all([startRspamd(), createTestEnv()]);
  blobs = await createNatsBlobStore(env.bus);
  tenantId = (await createTenant(env.ds, { name: 'Spam Co', slug: `spam-${randomUUID().slice(0, 8)}` })).id;
  const secrets = createSecretBox({ key: randomBytes(32).toString('base64') });
  const thresholds = { plain: undefined, strict: 2, lenient: 50 };
  for (const [name, spamThreshold] of Object.entries(thresholds)) {
    const settings = spamThreshold === undefined ? {} : { classification: { spamThreshold } };
    const box = await createMailbox(env.ds, secrets, { tenantId, name, address: `${name}@example.org`, provider: 'imap', settings });
    mailboxes[name as keyof typeof mailboxes] = box.id;
  }
});
afterAll(async () => {
  await Promise.all([rspamd?.stop(), env?.cleanup()]);
});

function handlerFor(url: string, onError: 'retry' | 'skip' = 'retry') {
  return createHandler({
    blobs, subjects: env.bus.subjects,
    spamEngine: {
      engine: createRspamdClient({ url, timeoutMs: 5_000 }),
      thresholdOf: async (t, m) => (await getClassificationSettings(env.ds, t, m)).spamThreshold,
      onError,
    },
  });
}

/** The MailParsed the parser would emit for `raw`, with the raw bytes in the blob store. */
async function parsedEvent(raw: string, mailbox: keyof typeof mailboxes) {
  const bytes = new TextEncoder().encode(raw);
  const mailId = randomBytes(16).toString('hex');
  const ref = await blobs.put(rawMailKey(tenantId, sha256Hex(bytes)), bytes);
  return toMailParsed(await parseMail(bytes), {
    mail: create(MailRefSchema, { tenantId, mailboxId: mailboxes[mailbox], mailId }),
    raw: create(BlobRefSchema, { key: ref.key, size: BigInt(ref.size), sha256: ref.sha256 }),
  });
}

async function classify(raw: string, mailbox: keyof typeof mailboxes = 'plain', handle = handlerFor(rspamd.url)): Promise<Verdict> {
  const [emit] = await handle(await parsedEvent(raw, mailbox));
  return (emit.event as MailClassified).verdict!;
}

const rspamdReason = (v: Verdict) => v.reasons.find((r) => r.rule === 'rspamd')?.detail ?? '';

describe('classifier with rspamd', () => {
  it('marks GTUBE spam on rspamd\'s reject, with its score and action as evidence', async () => {
    const v = await classify(`${HAM.replace('Can you help?', GTUBE)}`);
    expect(v.kind).toBe(MailKind.SPAM);
    expect(v.reasons[0]).toMatchObject({ rule: 'rspamd', source: 'rspamd' });
    expect(rspamdReason(v)).toBe('action "reject" (score 15; rspamd rejects at 15)');
  });

  it('follows rspamd\'s action without a mailbox threshold, and the mailbox threshold where there is one', async () => {
    expect((await classify(LOTTERY)).kind).toBe(MailKind.SPAM);
    const lenient = await classify(LOTTERY, 'lenient');
    expect(lenient.kind).toBe(MailKind.NORMAL);
    expect(rspamdReason(lenient)).toMatch(/^not spam: score [\d.]+ < mailbox threshold 50; action "add header"/);
    expect((await classify(SLOPPY)).kind).toBe(MailKind.NORMAL);
    expect((await classify(SLOPPY, 'strict')).kind).toBe(MailKind.SPAM);
    expect((await classify(HAM, 'strict')).kind).toBe(MailKind.NORMAL);
  });

  it('lets rspamd overrule an out-of-office verdict, but never a bounce', async () => {
    const ooo = await classify(OOO);
    expect(ooo.kind).toBe(MailKind.SPAM);
    // rspamd's evidence first, then what the out-of-office rule had seen.
    expect([...new Set(ooo.reasons.map((r) => r.rule))]).toEqual(['rspamd', 'out-of-office']);
    const bounce = readFileSync(new URL('corpus/bounce/qmail-failure-notice.eml', FIXTURES), 'utf8');
    const v = await classify(`${bounce.trimEnd()}\r\n${GTUBE}\r\n`);
    expect(v.kind).toBe(MailKind.BOUNCE);
    expect(rspamdReason(v)).toBe('');
  });

  it('retries while rspamd is unreachable, and classifies without it on the last delivery or when told to skip', async () => {
    const closed = 'http://127.0.0.1:9';
    const event = await parsedEvent(HAM, 'plain');
    const retrying = handlerFor(closed, 'retry');
    await expect(retrying(event)).rejects.toBeInstanceOf(SpamEngineError);
    await expect(retrying(event)).rejects.toMatchObject({ code: 'RSPAMD_UNAVAILABLE' });
    const last = { deliveryCount: 8, lastDelivery: true, working: () => undefined, logger: env.logger, input: toBinary(MailParsedSchema, event) };
    const [emit] = await retrying(event, last);
    const v = (emit.event as MailClassified).verdict!;
    expect(v.kind).toBe(MailKind.NORMAL);
    expect(rspamdReason(v)).toMatch(/^rspamd not asked: rspamd at http:\/\/127\.0\.0\.1:9\/checkv2: fetch failed/);
    expect(rspamdReason(await classify(HAM, 'plain', handlerFor(closed, 'skip')))).toMatch(/^rspamd not asked/);
  });
});
