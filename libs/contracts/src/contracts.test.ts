import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subjects, mailIdOf } from './index';

const root = join(import.meta.dirname, '../../..');
const buf = join(root, 'node_modules/.bin/buf');

const listFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });

describe('proto contracts', () => {
  it('pass buf lint', () => {
    expect(() => execFileSync(buf, ['lint'], { cwd: join(root, 'proto'), stdio: 'pipe' })).not.toThrow();
  });

  it('are generated from the current .proto files (run `npm run gen` when this fails)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'postroom-gen-'));
    try {
      cpSync(join(root, 'proto'), join(scratch, 'proto'), { recursive: true });
      const template = readFileSync(join(root, 'proto/buf.gen.yaml'), 'utf8').replace(
        '../libs/contracts/src/gen',
        join(scratch, 'gen'),
      );
      writeFileSync(join(scratch, 'proto/buf.gen.yaml'), template);
      const env = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` };
      execFileSync(buf, ['generate'], { cwd: join(scratch, 'proto'), stdio: 'pipe', env });
      const committed = join(root, 'libs/contracts/src/gen');
      const fresh = listFiles(join(scratch, 'gen')).map((f) => relative(join(scratch, 'gen'), f)).sort();
      expect(listFiles(committed).map((f) => relative(committed, f)).sort()).toEqual(fresh);
      for (const file of fresh) {
        expect(readFileSync(join(committed, file), 'utf8'), file).toBe(readFileSync(join(scratch, 'gen', file), 'utf8'));
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('subjects', () => {
  it('prefix subjects and streams with the namespace', () => {
    const s = subjects('run42');
    expect(s.mailFetched).toBe('run42.mail.v1.fetched');
    expect(s.stream('MAIL')).toBe('run42_MAIL');
    expect(s.streamSubjects('DLQ')).toEqual(['run42.dlq.>']);
    expect(subjects().mailPointer('imap')).toBe('mail.v1.pointer.imap');
  });

  it('reject a namespace that would break subject tokens', () => {
    expect(() => subjects('a.b')).toThrow(/NATS_NAMESPACE/);
  });
});

describe('mailIdOf', () => {
  it('is stable for the same IMAP coordinates and differs across UIDVALIDITY', () => {
    const base = { kind: 'imap', mailboxId: 'm1', folder: 'INBOX', uidValidity: 7, uid: 3 } as const;
    expect(mailIdOf(base)).toBe(mailIdOf({ ...base }));
    expect(mailIdOf(base)).toMatch(/^[0-9a-f]{32}$/);
    expect(mailIdOf({ ...base, uidValidity: 8 })).not.toBe(mailIdOf(base));
  });
});
