import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { startHealthServer, type HealthServer } from './health';

describe('startHealthServer', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${server!.port}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('answers /healthz, and /readyz by its checks', async () => {
    const checks = { nats: true, database: true, consumer: false };
    const metrics = createMetrics('healthtest');
    server = await startHealthServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, ready: async () => ({ ...checks }) });
    expect(server.port).toBeGreaterThan(0);
    expect(await get('/healthz')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.text)).toEqual({ status: 'not_ready', checks });
    checks.consumer = true;
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text).checks.consumer).toBe(true);
    expect((await get('/nope')).status).toBe(404);
  });

  it('reports 503 when a readiness check throws', async () => {
    const metrics = createMetrics('healththrow');
    server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      registry: metrics.registry,
      ready: async () => {
        throw new Error('database unreachable');
      },
    });
    const r = await get('/readyz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toEqual({ status: 'not_ready', error: 'database unreachable' });
  });

  it('serves the registry at /metrics in the Prometheus text format', async () => {
    const metrics = createMetrics('parser');
    metrics.stageMessages.inc({ stage: 'parser', outcome: 'ok' }, 3);
    metrics.stageMessages.inc({ stage: 'parser', outcome: 'dead_letter' });
    metrics.stageInFlight.set({ stage: 'parser' }, 2);
    metrics.stageHandleSeconds.observe({ stage: 'parser' }, 0.02);
    server = await startHealthServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, ready: async () => ({}) });
    const r = await get('/metrics');
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/plain');
    expect(r.text).toContain('postroom_parser_stage_messages_total{stage="parser",outcome="ok"} 3');
    expect(r.text).toContain('postroom_parser_stage_messages_total{stage="parser",outcome="dead_letter"} 1');
    expect(r.text).toContain('postroom_parser_stage_in_flight{stage="parser"} 2');
    expect(r.text).toContain('postroom_parser_stage_handle_seconds_count{stage="parser"} 1');
    expect(r.text).toContain('postroom_parser_process_cpu_user_seconds_total');
  });

  it('fails to start on a port already in use', async () => {
    const metrics = createMetrics('busy');
    server = await startHealthServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, ready: async () => ({}) });
    await expect(
      startHealthServer({ host: '127.0.0.1', port: server.port, registry: metrics.registry, ready: async () => ({}) }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
