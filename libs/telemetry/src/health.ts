/**
 * Liveness, readiness and metrics over plain node:http, so every service
 * exposes the same three endpoints for Kubernetes probes and Prometheus:
 * /healthz says the process is alive, /readyz says its dependencies are
 * (NATS, database, consumer bound), /metrics is the Prometheus text format.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { listen, type ListeningServer } from './listen';

export interface HealthServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Named checks; all true → 200, any false (or a throw) → 503. */
  ready: () => Promise<Record<string, boolean>>;
}

export type HealthServer = ListeningServer;

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readiness(opts: HealthServerOptions): Promise<{ status: number; body: string }> {
  try {
    const checks = await opts.ready();
    const ok = Object.values(checks).every(Boolean);
    return { status: ok ? 200 : 503, body: JSON.stringify({ status: ok ? 'ready' : 'not_ready', checks }) };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { status: 503, body: JSON.stringify({ status: 'not_ready', error }) };
  }
}

async function route(opts: HealthServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '{"error":"method not allowed"}');
  if (path === '/healthz') return send(res, 200, '{"status":"ok"}');
  if (path === '/readyz') {
    const r = await readiness(opts);
    return send(res, r.status, r.body);
  }
  if (path === '/metrics') return send(res, 200, await opts.registry.metrics(), opts.registry.contentType);
  return send(res, 404, '{"error":"not found"}');
}

/** Starts the health server; resolves once it listens (port 0 → the port it got). */
export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    route(opts, req, res).catch((err) => send(res, 500, JSON.stringify({ error: String(err) })));
  });
  return listen(server, opts.host, opts.port);
}
