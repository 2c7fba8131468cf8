/**
 * Runs Postroom's seven services as real child processes, the way they run in
 * production: one process each, configured by environment. Used by the local
 * runner (`npm start`), the end-to-end tests and the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './dovecot';

export const SERVICE_NAMES = ['ingress', 'fetcher', 'parser', 'classifier', 'ticketer', 'sender', 'attachment'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface PipelineOptions {
  /** Repository root (where services/ lives). */
  root: string;
  /** Environment shared by every service (NATS_URL, DATABASE_URL, …). */
  env: Record<string, string>;
  /** Folder for one log file per service. */
  logDir: string;
  services?: readonly ServiceName[];
  /** Fixed health ports (local runner); omitted: free ports are picked. */
  healthPorts?: Partial<Record<ServiceName, number>>;
}

export interface RunningService {
  name: ServiceName;
  healthPort: number;
  process: ChildProcess;
}

export interface Pipeline {
  services: Map<ServiceName, RunningService>;
  /** Starts (again) one service and waits until its /readyz says ready. */
  start(name: ServiceName): Promise<RunningService>;
  /** Sends a signal and waits for the process to exit. */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<void>;
}

async function waitReady(service: RunningService, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with code ${service.process.exitCode} before it was ready`);
    }
    const ok = await fetch(`http://127.0.0.1:${service.healthPort}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${service.name} was not ready within ${deadlineMs} ms (see its log)`);
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * A service's own Node/V8 flags (`postroom.nodeArgs` in its package.json),
 * the same ones the container's entrypoint passes, so tests and benchmarks
 * run each service as it is deployed.
 */
export function serviceNodeArgs(root: string, name: ServiceName): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'services', name, 'package.json'), 'utf8')) as { postroom?: { nodeArgs?: string[] } };
  return manifest.postroom?.nodeArgs ?? [];
}

/** Starts the services and resolves once every one reports ready. */
export async function startPipeline(opts: PipelineOptions): Promise<Pipeline> {
  mkdirSync(opts.logDir, { recursive: true });
  const services = new Map<ServiceName, RunningService>();
  const logs = new Map<ServiceName, WriteStream>();

  const start = async (name: ServiceName): Promise<RunningService> => {
    const healthPort = opts.healthPorts?.[name] ?? services.get(name)?.healthPort ?? (await freePort());
    const log = logs.get(name) ?? createWriteStream(join(opts.logDir, `${name}.log`), { flags: 'a' });
    logs.set(name, log);
    const child = spawn(process.execPath, [...serviceNodeArgs(opts.root, name), '--import', 'tsx', join(opts.root, 'services', name, 'src/main.ts')], {
      cwd: opts.root,
      env: { ...process.env, ...opts.env, HEALTH_HOST: '127.0.0.1', HEALTH_PORT: String(healthPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const service = { name, healthPort, process: child };
    services.set(name, service);
    await waitReady(service, 60_000);
    return service;
  };

  const kill = async (name: ServiceName, signal: NodeJS.Signals = 'SIGTERM') => {
    const service = services.get(name);
    if (!service) return null;
    service.process.kill(signal);
    // A service that does not drain within 15 s is killed: tests must end.
    const force = setTimeout(() => service.process.kill('SIGKILL'), 15_000);
    const code = await exitOf(service.process);
    clearTimeout(force);
    return code;
  };

  const pipeline: Pipeline = {
    services,
    start,
    kill,
    async stop() {
      await Promise.all([...services.keys()].map((name) => kill(name, 'SIGTERM')));
      for (const log of logs.values()) log.end();
    },
  };
  try {
    await Promise.all((opts.services ?? SERVICE_NAMES).map((name) => start(name)));
  } catch (err) {
    await pipeline.stop();
    throw err;
  }
  return pipeline;
}
