import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MBOX_MESSAGES, writeEmlFolder, writeMaildir, writeMbox } from './fixtures/archives';
import { readLines } from './lines';
import { openMailSource } from './mail-source';
import { readMbox } from './mbox';
import type { SourceMail } from './source-mail';

const scratch = mkdtempSync(join(tmpdir(), 'postroom-mbox-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function collect(mails: AsyncIterable<SourceMail>): Promise<Array<{ label: string; text: string }>> {
  const out = [];
  for await (const m of mails) out.push({ label: m.label, text: Buffer.from(await m.read()).toString('latin1') });
  return out;
}

describe('readLines', () => {
  it('keeps bytes and line endings exactly, whatever the chunk boundaries', async () => {
    const chunks = ['ab', 'c\r', '\nd', 'e\n\n', 'f'].map((s) => Buffer.from(s));
    const lines = [];
    for await (const line of readLines((async function* () { yield* chunks; })())) lines.push(line.toString());
    expect(lines).toEqual(['abc\r\n', 'de\n', '\n', 'f']);
  });
});

describe('readMbox (RFC 4155, mboxrd)', () => {
  it('splits on "From " lines, unquotes >From lines and drops the separating empty line', async () => {
    const path = join(scratch, 'three.mbox');
    writeMbox(path);
    const mails = await collect(readMbox(path));
    expect(mails.map((m) => m.label)).toEqual(['message 1 (line 1)', 'message 2 (line 14)', 'message 3 (line 23)']);
    expect(mails.map((m) => m.text)).toEqual(MBOX_MESSAGES.map((b) => b.toString('latin1')));
    expect(mails[0].text).toContain('\n\nFrom the start it smoked.\n>From a quoted line.\n');
  });

  it('keeps a "From " line that does not follow an empty line in the body', async () => {
    const path = join(scratch, 'mboxo.mbox');
    writeFileSync(path, 'From a@b Mon Jan  5 10:00:00 2026\nSubject: x\n\nline\nFrom here on\n\nFrom c@d Mon Jan  5 10:00:00 2026\nSubject: y\n\nz\n');
    expect((await collect(readMbox(path))).map((m) => m.text)).toEqual(['Subject: x\n\nline\nFrom here on\n', 'Subject: y\n\nz\n']);
  });

  it('refuses a file whose first line is not a "From " separator', async () => {
    const path = join(scratch, 'not.mbox');
    writeFileSync(path, 'Subject: x\n\nFrom a@b\n');
    await expect(collect(readMbox(path))).rejects.toThrow(/not an mbox: line 1 must start with "From "/);
  });
});

describe('openMailSource', () => {
  it('tells an mbox, a Maildir, a folder of .eml and a single .eml apart', async () => {
    writeMbox(join(scratch, 'kinds.mbox'));
    const maildir = writeMaildir(join(scratch, 'Maildir'));
    const emls = writeEmlFolder(join(scratch, 'emls'));
    expect((await openMailSource(join(scratch, 'kinds.mbox'))).kind).toBe('mbox');
    const fromMaildir = await openMailSource(join(scratch, 'Maildir'));
    expect(fromMaildir.kind).toBe('maildir');
    expect(await collect(fromMaildir.mails)).toEqual([
      { label: 'cur/1767607200.M1P1.host:2,S', text: maildir[0].toString('latin1') },
      { label: 'new/1767607300.M2P1.host', text: maildir[1].toString('latin1') },
    ]);
    const fromFolder = await openMailSource(join(scratch, 'emls'));
    expect(fromFolder.kind).toBe('eml-folder');
    expect(await collect(fromFolder.mails)).toEqual([
      { label: '2025/b.EML', text: emls[1].toString('latin1') },
      { label: 'a.eml', text: emls[0].toString('latin1') },
    ]);
    const single = await openMailSource(join(scratch, 'emls', 'a.eml'));
    expect([single.kind, (await collect(single.mails)).map((m) => m.label)]).toEqual(['eml', ['a.eml']]);
  });

  it('names the path when it is no archive', async () => {
    writeFileSync(join(scratch, 'notes.txt'), 'hello');
    await expect(openMailSource(join(scratch, 'notes.txt'))).rejects.toThrow(/notes\.txt is neither an mbox/);
    await expect(openMailSource(join(scratch, 'missing'))).rejects.toThrow(/cannot read .*missing: ENOENT/);
  });
});
