import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('exitOnConfigError', () => {
  it('prints one line naming the settings and exits 78', () => {
    const script = [
      "import { exitOnConfigError, loadConfig, baseSchema, encryptionSchema } from './libs/config/src/index.ts';",
      "exitOnConfigError(() => loadConfig(baseSchema.extend(encryptionSchema.shape), { LOG_LEVEL: 'loud' }));",
      "console.log('not reached');",
    ].join('\n');
    const r = spawnSync('npx', ['tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), encoding: 'utf8' });
    expect(r.status).toBe(78);
    expect(r.stdout).not.toContain('not reached');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('postroom:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^postroom: invalid configuration: .*LOG_LEVEL: .*ENCRYPTION_KEY: required/);
  });

  it('passes the loaded value through and lets other errors propagate', async () => {
    const { exitOnConfigError } = await import('./config-error');
    expect(exitOnConfigError(() => 42)).toBe(42);
    expect(() =>
      exitOnConfigError(() => {
        throw new TypeError('boom');
      }),
    ).toThrow('boom');
  });
});
