import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNatsBlobStore, rawMailKey, sha256Hex, type BlobStore } from '@postroom/blob';
import { fromBinary, mailIdOf, MailPointerSchema, Provider, type MailPointer } from '@postroom/contracts';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { MBOX_MESSAGES, writeEmlFolder, writeMaildir, writeMbox } from './fixtures/archives';
import { importMails, type ImportTarget } from './import-mails';
import { openMailSource } from './mail-source';

let env: TestEnv;
let blobs: BlobStore;
const scratch = mkdtempSync(join(tmpdir(), 'postroom-import-'));
const target: ImportTarget = { tenantId: randomUUID(), mailboxId: randomUUID() };
let archives: Array<{ path: string; bytes: Buffer[] }>;

beforeAll(async () => {
  env = await createTestEnv();
  blobs = await createNatsBlobStore(env.bus);
  writeMbox(join(scratch, 'backlog.mbox'));
  archives = [
    { path: join(scratch, 'backlog.mbox'), bytes: MBOX_MESSAGES },
    { path: join(scratch, 'Maildir'), bytes: writeMaildir(join(scratch, 'Maildir')) },
    { path: join(scratch, 'emls'), bytes: writeEmlFolder(join(scratch, 'emls')) },
  ];
  writeFileSync(join(scratch, 'emls', 'empty.eml'), '');
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await env?.cleanup();
});

const run = async (path: string) => importMails({ bus: env.bus, blobs, target, mails: (await openMailSource(path)).mails, concurrency: 2 });

/** Every pointer stored on mail.v1.pointer.import, with its Nats-Msg-Id. */
async function importPointers(): Promise<Array<{ msgId: string; pointer: MailPointer }>> {
  const stream = env.bus.subjects.stream('MAIL');
  const { state } = await env.bus.jsm.streams.info(stream);
  const out = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const m = await env.bus.jsm.streams.getMessage(stream, { seq });
    if (m?.subject === env.bus.subjects.mailPointer('import')) {
      out.push({ msgId: m.header.get('Nats-Msg-Id'), pointer: fromBinary(MailPointerSchema, m.data) });
    }
  }
  return out;
}

describe('importMails', () => {
  it('stores each message of an mbox, a Maildir and an .eml folder and publishes a pointer that carries it', async () => {
    const summaries = [];
    for (const a of archives) summaries.push(await run(a.path));
    expect(summaries.map((s) => [s.read, s.imported, s.duplicates])).toEqual([[3, 3, 0], [2, 2, 0], [3, 2, 0]]);
    expect(summaries[2].failed).toEqual([{ label: 'empty.eml', reason: 'empty message' }]);

    const expected = archives.flatMap((a) => a.bytes);
    const pointers = await importPointers();
    expect(pointers).toHaveLength(expected.length);
    for (const [i, bytes] of expected.entries()) {
      const sha256 = sha256Hex(bytes);
      const mailId = mailIdOf({ kind: 'content', mailboxId: target.mailboxId, sha256 });
      const { msgId, pointer } = pointers.find((p) => p.pointer.raw?.sha256 === sha256) ?? { msgId: '', pointer: undefined };
      expect(pointer, `message ${i}`).toBeDefined();
      expect(msgId).toBe(`pointer:${mailId}`);
      expect(pointer!.mail).toMatchObject({ tenantId: target.tenantId, mailboxId: target.mailboxId, mailId, imported: true });
      expect(pointer!.mail!.source).toMatchObject({ provider: Provider.IMPORT, providerMessageId: sha256, sizeHint: BigInt(bytes.length) });
      expect(pointer!.raw).toMatchObject({ key: rawMailKey(target.tenantId, sha256), size: BigInt(bytes.length) });
      expect(Buffer.from(await blobs.get(pointer!.raw!.key)).equals(bytes), `bytes of message ${i}`).toBe(true);
    }
  });

  it('publishes only duplicates when the same archives are imported again', async () => {
    const before = (await env.bus.jsm.streams.info(env.bus.subjects.stream('MAIL'))).state.messages;
    const again = [];
    for (const a of archives) again.push(await run(a.path));
    expect(again.map((s) => [s.read, s.imported, s.duplicates])).toEqual([[3, 0, 3], [2, 0, 2], [3, 0, 2]]);
    expect((await env.bus.jsm.streams.info(env.bus.subjects.stream('MAIL'))).state.messages).toBe(before);
  });

  it('keeps at most `concurrency` messages in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const counting: BlobStore = {
      ...blobs,
      put: async (key, bytes, opts) => {
        most = Math.max(most, (inFlight += 1));
        try {
          return await blobs.put(key, bytes, opts);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const mails = (await openMailSource(archives[0].path)).mails;
    const summary = await importMails({ bus: env.bus, blobs: counting, target: { ...target, mailboxId: randomUUID() }, mails, concurrency: 2 });
    expect([summary.imported, most <= 2, most >= 1]).toEqual([3, true, true]);
  });

  it('reports a read error of the archive as a failure after the messages before it', async () => {
    const broken = join(scratch, 'broken.mbox');
    writeFileSync(broken, 'From a@b Mon Jan  5 10:00:00 2026\nSubject: ok\n\nbody\n');
    const source = await openMailSource(broken);
    rmSync(broken);
    const summary = await importMails({ bus: env.bus, blobs, target, mails: source.mails });
    expect(summary).toMatchObject({ read: 0, imported: 0, failed: [{ label: 'reading stopped after 0 messages', reason: expect.stringContaining('ENOENT') }] });
  });
});
