/**
 * The workspace's dependency rules (scripts/check-boundaries.ts) hold for the
 * real tree, and the checker catches each kind of violation in a small
 * workspace made for the purpose. Nx sees every workspace package as a
 * project, with its tags.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBoundaries, readWorkspace, scanSource } from '../../../scripts/check-boundaries';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the real workspace', () => {
  it('has no boundary violations', () => {
    expect(checkBoundaries(ROOT)).toEqual([]);
  });

  it('tags every package and has all seven services', () => {
    const packages = readWorkspace(ROOT);
    for (const p of packages) expect(p.tags.filter((t) => t.startsWith('type:')), p.name).toHaveLength(1);
    const services = packages.filter((p) => p.tags.includes('type:service')).map((p) => p.dir).sort();
    expect(services).toEqual(
      ['attachment', 'classifier', 'fetcher', 'ingress', 'parser', 'sender', 'ticketer'].map((s) => `services/${s}`),
    );
  });

  it('is one Nx project per package, with the package tags', () => {
    const nx = (...args: string[]) =>
      JSON.parse(
        execFileSync(process.execPath, [join(ROOT, 'node_modules/.bin/nx'), 'show', 'projects', '--json', ...args], {
          cwd: ROOT,
          env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
          encoding: 'utf8',
        }),
      ) as string[];
    const packages = readWorkspace(ROOT);
    expect(nx().sort()).toEqual(packages.map((p) => p.name).sort());
    const services = packages.filter((p) => p.tags.includes('type:service')).map((p) => p.name);
    expect(nx('--projects', 'tag:type:service').sort()).toEqual(services.sort());
  });
});

describe('scanSource', () => {
  it('finds static, dynamic and require imports but not ones in comments or strings', () => {
    const src = [
      "import { a } from 'pg';",
      "export * from './local';",
      "const m = await import('minio');",
      "const r = require('typeorm');",
      "// import x from 'imapflow';",
      "const s = \"import y from '@nats-io/jetstream'\";",
    ].join('\n');
    expect(scanSource('x.ts', src).imports).toEqual(['pg', './local', 'minio', 'typeorm']);
  });

  it('flags reading a variable but not passing the whole environment on', () => {
    const src = [
      'loadConfig(schema, process.env);', // 1: allowed
      'spawn(cmd, { env: { ...process.env, A: "1" } });', // 2: allowed
      'const url = process.env.NATS_URL;', // 3
      "const port = process.env['PORT'];", // 4
      'const { HOME } = process.env;', // 5
      '// process.env.IN_A_COMMENT', // 6: not code
      'const alias = globalThis.process.env;', // 7
      'loadConfig(schema, local ? { KEY_FILE: local, ...process.env } : (process.env));', // 8: allowed
      'const env = local ? process.env : {};', // 9: an alias
      'if (process.env) run();', // 10: a read
    ].join('\n');
    expect(scanSource('x.ts', src).envReads).toEqual([3, 4, 5, 7, 9, 10]);
  });
});

describe('a workspace that breaks every rule', () => {
  const root = mkdtempSync(join(tmpdir(), 'postroom-boundaries-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const pkg = (dir: string, name: string, tag: string, dependencies: Record<string, string> = {}) =>
    write(`${dir}/package.json`, JSON.stringify({ name, dependencies, nx: { tags: [tag] } }));

  write('package.json', JSON.stringify({ name: 'fixture', workspaces: ['libs/*', 'services/*'] }));
  pkg('libs/config', '@x/config', 'type:pure');
  write('libs/config/src/index.ts', 'export const url = process.env.NATS_URL;\n');
  pkg('libs/pure-decl', '@x/pure-decl', 'type:pure', { pg: '8.0.0' });
  pkg('libs/pure-src', '@x/pure-src', 'type:pure');
  write('libs/pure-src/src/index.ts', "import { connect } from '@nats-io/transport-node';\nexport { connect };\n");
  pkg('libs/io', '@x/io', 'type:lib', { minio: '8.0.0' });
  pkg('libs/pure-via', '@x/pure-via', 'type:pure', { '@x/io': '*' });
  pkg('libs/leaky', '@x/leaky', 'type:lib');
  write('libs/leaky/src/index.ts', "export { handler } from '@x/svc-a';\nexport * from '../../io/src/index';\n");
  pkg('services/svc-a', '@x/svc-a', 'type:service', { '@x/svc-b': '*' });
  pkg('services/svc-b', '@x/svc-b', 'type:service');
  write('services/svc-b/src/main.ts', 'loadConfig(schema, process.env);\nconst level = process.env.LOG_LEVEL;\n');
  write('services/svc-b/src/main.test.ts', 'const inTest = process.env.ANYTHING;\n');
  write('services/svc-b/test/e2e.ts', "import '@x/svc-a';\n");

  it('reports each violation once, naming the file and rule', () => {
    const found = checkBoundaries(root).map((v) => `${v.rule} ${v.file}`).sort();
    expect(found).toEqual(
      [
        'cross-package-path libs/leaky/src/index.ts',
        'env-outside-config services/svc-b/src/main.ts:2',
        'lib-depends-on-service libs/leaky/src/index.ts',
        'pure-imports-io libs/pure-decl/package.json',
        'pure-imports-io libs/pure-src/src/index.ts',
        'pure-imports-io libs/pure-via/package.json',
        'service-depends-on-service services/svc-a/package.json',
      ].sort(),
    );
  });
});
