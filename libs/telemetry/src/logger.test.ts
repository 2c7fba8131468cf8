import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines tagged with the service and level', () => {
    const out = capture();
    const log = createLogger({ service: 'parser', level: 'debug', destination: out.destination });
    log.debug({ mailId: 'm1' }, 'parsed');
    const entry = JSON.parse(out.lines[0]);
    expect(entry).toMatchObject({ service: 'parser', level: 'debug', mailId: 'm1', msg: 'parsed' });
    expect(typeof entry.time).toBe('string');
  });

  it('never writes passwords, tokens or credentials, at the top level or one level down', () => {
    const out = capture();
    const log = createLogger({ service: 'ingress', destination: out.destination });
    log.info(
      {
        password: 'hunter2-top',
        accessToken: 'ya29.top-token',
        credentials: { imap: { user: 'a', password: 'hunter2-nested' } },
        imap: { user: 'alice', password: 'hunter2-child', refreshToken: '1//refresh', pass: 'p4ss' },
        headers: { authorization: 'Bearer abc.def' },
        config: { ENCRYPTION_KEY: 'c2VjcmV0LWtleQ==' },
      },
      'connecting',
    );
    log.child({ secret: 'child-secret' }).warn({ token: 'tok-123' }, 'child');
    const text = out.lines.join('\n');
    for (const secret of ['hunter2', 'ya29', '1//refresh', 'p4ss', 'Bearer', 'c2VjcmV0', 'child-secret', 'tok-123']) {
      expect(text).not.toContain(secret);
    }
    const entry = JSON.parse(out.lines[0]);
    expect(entry.imap).toEqual({ user: 'alice', password: '[redacted]', refreshToken: '[redacted]', pass: '[redacted]' });
    expect(entry.credentials).toBe('[redacted]');
  });

  it('respects the level', () => {
    const out = capture();
    const log = createLogger({ service: 'x', level: 'warn', destination: out.destination });
    log.info('hidden');
    log.warn('shown');
    expect(out.lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });
});
