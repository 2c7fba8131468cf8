/**
 * The Helm chart, linted and rendered by a real helm (deploy/helm/install-helm.sh
 * fetches a pinned binary on first use), then checked object by object: what
 * Kubernetes would run must be what the services need (their own config
 * schemas accept the environment), locked down (non-root, read-only root, no
 * capabilities), probed, migrated first, and scaled on the right consumers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGES } from '@postroom/bus';
import { subjects } from '@postroom/contracts';
import { loadConfig } from '@postroom/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { z } from '@postroom/config';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVICES = ['ingress', 'fetcher', 'parser', 'classifier', 'ticketer', 'sender', 'attachment'];

/** The zod schema a service's config.ts exports (its one `…Schema` export). */
async function serviceConfigSchema(name: string): Promise<z.ZodType> {
  const mod = (await import(join(ROOT, 'services', name, 'src/config.ts'))) as Record<string, unknown>;
  const found = Object.entries(mod).filter(([k, v]) => k.endsWith('Schema') && typeof (v as z.ZodType)?.safeParse === 'function');
  expect(found.map(([k]) => k), `services/${name}/src/config.ts`).toHaveLength(1);
  return found[0][1] as z.ZodType;
}
const CHART = join(ROOT, 'deploy/helm/postroom');
let helm = '';

type K8s = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: any };
const render = (...sets: string[]): K8s[] => {
  const out = execFileSync(helm, ['template', 'pr', CHART, '--namespace', 'mail', ...sets.flatMap((s) => ['--set', s])], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS()).filter(Boolean) as K8s[];
};
const find = (docs: K8s[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

/** What the kubelet would hand the process: secretKeyRefs replaced by plausible secret values. */
const SECRET_VALUES: Record<string, string> = {
  DATABASE_URL: 'postgres://postroom:secret@postgres:5432/postroom',
  ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  S3_ACCESS_KEY: 'access',
  S3_SECRET_KEY: 'secret',
};
function processEnv(container: { env: { name: string; value?: string; valueFrom?: { secretKeyRef: { optional?: boolean } } }[] }) {
  const env: Record<string, string> = {};
  for (const e of container.env) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (!e.valueFrom?.secretKeyRef.optional) env[e.name] = SECRET_VALUES[e.name];
  }
  return env;
}

beforeAll(() => {
  const run = spawnSync('bash', [join(ROOT, 'deploy/helm/install-helm.sh')], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  helm = run.stdout.trim().split('\n').pop() as string;
}, 180_000);

describe('deploy/helm/postroom', () => {
  it('passes helm lint --strict', () => {
    const run = spawnSync(helm, ['lint', '--strict', CHART], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('runs each service locked down, probed, with an environment its config schema accepts', async () => {
    const docs = render();
    for (const name of SERVICES) {
      const deployment = find(docs, 'Deployment', `pr-postroom-${name}`);
      expect(deployment, name).toBeDefined();
      const pod = deployment!.spec.template.spec;
      const [container] = pod.containers;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      const env = processEnv(container);
      expect(env.SERVICE).toBe(name);
      expect(container.ports).toContainEqual({ name: 'http', containerPort: Number(env.HEALTH_PORT), protocol: 'TCP' });
      const config = loadConfig(await serviceConfigSchema(name), env) as Record<string, unknown>;
      // Database credentials go only to the services that open the database.
      // main.ts asks the service runtime for it with `database: true`.
      const opensDatabase = /\bdatabase: true\b/.test(readFileSync(join(ROOT, 'services', name, 'src/main.ts'), 'utf8'));
      expect('DATABASE_URL' in env, `${name} DATABASE_URL`).toBe(opensDatabase);
      expect(config.HEALTH_PORT).toBe(9101 + SERVICES.indexOf(name));
      const ports = [{ name: 'http', port: config.HEALTH_PORT, targetPort: 'http', protocol: 'TCP' }];
      if (name === 'attachment') ports.push({ name: 'download', port: config.ATTACHMENT_HTTP_PORT, targetPort: 'download', protocol: 'TCP' });
      expect(find(docs, 'Service', `pr-postroom-${name}`)?.spec.ports, name).toEqual(ports);
    }
  });

  it('migrates in a pre-install/pre-upgrade hook, before any service starts', () => {
    const job = find(render(), 'Job', 'pr-postroom-migrate');
    expect(job?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const [container] = job!.spec.template.spec.containers;
    expect(container.args).toEqual(['postroom', 'migrate']);
    expect(processEnv(container).DATABASE_URL).toBe(SECRET_VALUES.DATABASE_URL);
  });

  it("scales every stage on its own durable consumer's lag, in the namespaced stream", () => {
    const docs = render('nats.namespace=acme');
    const scaled = docs.filter((d) => d.kind === 'ScaledObject');
    // Every stage consumer runs in the service of its name, except mailbox-actions, which the fetcher runs.
    const serviceOf = (stage: string) => (stage === 'mailbox-actions' ? 'fetcher' : stage);
    const services = [...new Set(Object.keys(STAGES).map(serviceOf))];
    expect(scaled.map((d) => d.metadata.name).sort()).toEqual(services.map((s) => `pr-postroom-${s}`).sort());
    for (const [stage, { stream }] of Object.entries(STAGES)) {
      const so = find(docs, 'ScaledObject', `pr-postroom-${serviceOf(stage)}`)!;
      expect(so.spec.scaleTargetRef.name).toBe(`pr-postroom-${serviceOf(stage)}`);
      expect(so.spec.triggers).toContainEqual(
        expect.objectContaining({ type: 'nats-jetstream', metadata: expect.objectContaining({ stream: subjects('acme').stream(stream), consumer: stage }) }),
      );
      expect(find(docs, 'Deployment', `pr-postroom-${serviceOf(stage)}`)?.spec.replicas, 'KEDA owns replicas').toBeUndefined();
    }
    expect(find(docs, 'Deployment', 'pr-postroom-ingress')?.spec.replicas).toBe(2);
  });

  it('falls back to fixed replicas without KEDA and adds a ServiceMonitor on request', () => {
    const docs = render('keda.enabled=false', 'serviceMonitor.enabled=true');
    expect(docs.filter((d) => d.kind === 'ScaledObject')).toEqual([]);
    expect(find(docs, 'Deployment', 'pr-postroom-parser')?.spec.replicas).toBe(1);
    expect(find(docs, 'ServiceMonitor', 'pr-postroom')?.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    expect(render().some((d) => d.kind === 'ServiceMonitor')).toBe(false);
  });

  it("adds extra environment to every service, a service's own values winning", () => {
    const docs = render('env.PARSER_MAX_MAIL_BYTES=4096', 'services.parser.env.PARSER_MAX_MAIL_BYTES=2048');
    const envOf = (name: string) => processEnv(find(docs, 'Deployment', `pr-postroom-${name}`)!.spec.template.spec.containers[0]);
    expect(envOf('parser').PARSER_MAX_MAIL_BYTES).toBe('2048');
    expect(envOf('sender').PARSER_MAX_MAIL_BYTES).toBe('4096');
  });

  it("leaves each stage its own concurrency unless stageConcurrency is set, and lets one service differ", async () => {
    const concurrencyOf = async (docs: K8s[], name: string) => {
      const env = processEnv(find(docs, 'Deployment', `pr-postroom-${name}`)!.spec.template.spec.containers[0]);
      const schema = await serviceConfigSchema(name);
      return (schema.parse({ ...env, ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') }) as { STAGE_CONCURRENCY: number }).STAGE_CONCURRENCY;
    };
    const defaults = render();
    expect([await concurrencyOf(defaults, 'fetcher'), await concurrencyOf(defaults, 'ticketer')]).toEqual([16, 64]);
    const set = render('stageConcurrency=32', 'services.ticketer.env.STAGE_CONCURRENCY=128');
    expect([await concurrencyOf(set, 'fetcher'), await concurrencyOf(set, 'ticketer')]).toEqual([32, 128]);
  });

  it('refuses values that cannot work, naming the setting', () => {
    const fail = (...sets: string[]) => spawnSync(helm, ['template', 'pr', CHART, ...sets.flatMap((s) => ['--set', s])], { encoding: 'utf8' }).stderr;
    expect(fail('blob.s3.endpoint=')).toContain('blob.s3.endpoint is required when blob.backend is s3');
    expect(fail('services.ingress.autoscaling.enabled=true')).toContain('services.ingress: only stage services');
    expect(fail('logLevel=loud')).toContain('/logLevel');
  });
});
