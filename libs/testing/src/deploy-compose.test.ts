/**
 * docker-compose.yml and the image's helpers, checked without a Docker
 * engine (there is none on the development machines): the compose file is
 * parsed as Compose would (YAML merge keys), its references must resolve, and
 * every service's environment must pass the real libs/config schemas.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseSchema, blobSchema, encryptionSchema, loadConfig, withBlobRules } from '@postroom/config';
import type { z } from '@postroom/config';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceNodeArgs, type ServiceName } from './pipeline';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVICES = ['ingress', 'fetcher', 'parser', 'classifier', 'ticketer', 'sender', 'attachment'];
const HEALTH_PORTS = Object.fromEntries(SERVICES.map((s, i) => [s, 9101 + i]));

interface ComposeService {
  image?: string; build?: unknown; environment?: Record<string, string>; command?: string[];
  depends_on?: Record<string, { condition: string }>; volumes?: string[]; read_only?: boolean; tmpfs?: string[]; profiles?: string[];
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>; volumes: Record<string, unknown>;
};
/** The zod schema a service's config.ts exports (its one `…Schema` export). */
async function serviceConfigSchema(name: string): Promise<z.ZodType> {
  const mod = (await import(join(ROOT, 'services', name, 'src/config.ts'))) as Record<string, unknown>;
  const found = Object.entries(mod).filter(([k, v]) => k.endsWith('Schema') && typeof (v as z.ZodType)?.safeParse === 'function');
  expect(found.map(([k]) => k), `services/${name}/src/config.ts`).toHaveLength(1);
  return found[0][1] as z.ZodType;
}
const scratch = mkdtempSync(join(tmpdir(), 'postroom-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('docker-compose.yml', () => {
  it('runs each of the seven services from the one image, read-only, after the migration', () => {
    for (const name of SERVICES) {
      const svc = compose.services[name];
      expect(svc, name).toBeDefined();
      expect(svc.image).toBe('postroom:dev');
      expect(svc.build).toEqual({ context: '.', dockerfile: 'deploy/docker/Dockerfile' });
      expect(svc.environment?.SERVICE).toBe(name);
      expect(Number(svc.environment?.HEALTH_PORT)).toBe(HEALTH_PORTS[name]);
      expect(svc.environment?.BLOB_BACKEND).toBe('s3');
      expect(svc.read_only).toBe(true);
      expect(svc.tmpfs).toContain('/tmp');
      expect(svc.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
      expect(svc.depends_on?.nats).toEqual({ condition: 'service_healthy' });
      expect(svc.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    }
    expect(compose.services.migrate.command).toEqual(['postroom', 'migrate']);
  });

  it('refers only to services, volumes and files that exist', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.image ?? svc.build, name).toBeTruthy();
      for (const dep of Object.keys(svc.depends_on ?? {})) expect(compose.services[dep], `${name} → ${dep}`).toBeDefined();
      for (const mount of svc.volumes ?? []) {
        const source = mount.split(':')[0];
        if (source.startsWith('.')) expect(existsSync(join(ROOT, source)), `${name}: ${source}`).toBe(true);
        else expect(compose.volumes, `${name}: volume ${source}`).toHaveProperty(source);
      }
    }
  });

  it('gives every service an environment its own config schema accepts (the key file stood in for)', async () => {
    const keyFile = join(scratch, 'encryption-key');
    writeFileSync(keyFile, `${Buffer.alloc(32, 7).toString('base64')}\n`);
    const shared = withBlobRules(baseSchema.extend({ ...encryptionSchema.shape, ...blobSchema.shape }));
    for (const name of [...SERVICES, 'migrate']) {
      const env = { ...compose.services[name].environment, ENCRYPTION_KEY_FILE: keyFile };
      const schema = name === 'migrate' ? shared : await serviceConfigSchema(name);
      const config = loadConfig(schema, env) as Record<string, unknown>;
      expect(config.NATS_URL, name).toBe('nats://nats:4222');
      expect(config.HEALTH_PORT, name).toBe(HEALTH_PORTS[name] ?? 0);
    }
  });

  it('has Prometheus scrape every service on its health port and Grafana read Prometheus', () => {
    const prometheus = parse(readFileSync(join(ROOT, 'deploy/compose/prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    expect(targets.sort()).toEqual(SERVICES.map((s) => `${s}:${HEALTH_PORTS[s]}`).sort());
    const grafana = parse(readFileSync(join(ROOT, 'deploy/compose/grafana/provisioning/datasources/datasources.yml'), 'utf8'));
    expect(grafana.datasources).toContainEqual(expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }));
  });

  it('runs NATS 2.10 or newer with JetStream fsyncing every write', () => {
    const [major, minor] = (compose.services.nats.image ?? '').replace(/^nats:/, '').split(/[.-]/).map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(210);
    const conf = readFileSync(join(ROOT, 'deploy/compose/nats.conf'), 'utf8').replace(/#.*$/gm, '');
    expect(conf).toMatch(/jetstream\s*\{[^}]*sync_interval:\s*always[^}]*\}/);
  });
});

describe('the image helpers', () => {
  it('copies every workspace manifest and makes tsx a runtime dependency', () => {
    const out = join(scratch, 'manifests');
    const run = spawnSync(process.execPath, [join(ROOT, 'deploy/docker/manifests.mjs'), ROOT, out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const rootPkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    const original = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(rootPkg.dependencies.tsx).toBe(original.devDependencies?.tsx ?? original.dependencies?.tsx);
    expect(rootPkg.devDependencies?.tsx).toBeUndefined();
    expect(readFileSync(join(out, 'package-lock.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    for (const dir of SERVICES.map((s) => `services/${s}`).concat('libs/config', 'libs/cli')) {
      expect(existsSync(join(out, dir, 'package.json')), dir).toBe(true);
    }
  });

  it('refuses an unknown SERVICE with one line and EX_CONFIG', () => {
    const run = spawnSync('sh', [join(ROOT, 'deploy/docker/entrypoint.sh')], { env: { PATH: '/usr/bin:/bin', SERVICE: 'mailer' }, encoding: 'utf8' });
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/^postroom: invalid configuration: SERVICE: must be one of: ingress fetcher .* \(got 'mailer'\)\n$/);
  });

  it("runs each service with its own Node flags, as the tests and `npm start` do", () => {
    const entrypoint = readFileSync(join(ROOT, 'deploy/docker/entrypoint.sh'), 'utf8');
    const readArgs = /^NODE_ARGS=\$\((.*)\)$/m.exec(entrypoint)?.[1];
    expect(readArgs).toBeDefined();
    expect(entrypoint).toMatch(/^exec node \$NODE_ARGS --import tsx src\/main\.ts "\$@"$/m);
    const PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;
    for (const name of SERVICES) {
      const expected = serviceNodeArgs(ROOT, name as ServiceName);
      const run = spawnSync('sh', ['-c', readArgs!], { cwd: join(ROOT, 'services', name), env: { PATH }, encoding: 'utf8' });
      expect(run.stdout.trim(), name).toBe(expected.join(' '));
      const start = JSON.parse(readFileSync(join(ROOT, 'services', name, 'package.json'), 'utf8')).scripts.start;
      expect(start, name).toBe(['node', ...expected, '--import', 'tsx', 'src/main.ts'].join(' '));
    }
    expect(serviceNodeArgs(ROOT, 'ingress')).toContain('--max-semi-space-size=4');
  });

  it('ships the CLI the migration runs', () => {
    expect(readFileSync(join(ROOT, 'deploy/docker/entrypoint.sh'), 'utf8')).toContain('libs/cli/src/main.ts');
    expect(existsSync(join(ROOT, 'libs/cli/src/main.ts'))).toBe(true);
  });
});
