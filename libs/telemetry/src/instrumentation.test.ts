import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('--import @postroom/telemetry/instrumentation', () => {
  it('starts tracing from OTEL_* variables before the app runs, and flushes on exit', async () => {
    const bodies: { url?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push({ url: req.url, body: Buffer.concat(chunks).toString('latin1') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const app = [
      "import { trace, propagation } from '@opentelemetry/api';",
      "trace.getTracer('app').startSpan('app-span-from-child').end();",
      "console.log(propagation.fields().join(','));",
    ].join('\n');
    try {
      const child = spawn(
        'npx',
        ['node', '--import', 'tsx', '--import', '@postroom/telemetry/instrumentation', '--input-type=module', '-e', app],
        {
          cwd: ROOT,
          env: { ...process.env, OTEL_SERVICE_NAME: 'instr-test', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(stderr.replace(/^npm warn.*\n?/gm, '')).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('traceparent');
      expect(bodies.map((b) => b.url)).toEqual(['/v1/traces']);
      expect(bodies[0].body).toContain('app-span-from-child');
      expect(bodies[0].body).toContain('instr-test');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
