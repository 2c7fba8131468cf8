import { createServer, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from './tracing';

const body = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

describe('startTracing', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('registers W3C propagation and an async context manager', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ service: 'unit', exporter });
    const tracer = trace.getTracer('test');
    const carrier: Record<string, string> = {};
    await tracer.startActiveSpan('outer', async (span) => {
      await new Promise((r) => setTimeout(r, 1));
      // The active span survived the await: AsyncLocalStorage context manager.
      expect(trace.getActiveSpan()).toBe(span);
      propagation.inject(context.active(), carrier);
      span.end();
    });
    const outer = exporter.getFinishedSpans()[0];
    expect(carrier.traceparent).toBe(`00-${outer.spanContext().traceId}-${outer.spanContext().spanId}-01`);
    const extracted = propagation.extract(context.active(), carrier);
    expect(trace.getSpanContext(extracted)?.traceId).toBe(outer.spanContext().traceId);
    expect(outer.resource.attributes['service.name']).toBe('unit');
  });

  it('records what the sampler samples, follows a caller that sampled, and propagates the context either way', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ service: 'unit', exporter, sampler: { name: 'parentbased_traceidratio', ratio: 0 } });
    const tracer = trace.getTracer('test');
    const carrier: Record<string, string> = {};
    tracer.startActiveSpan('new email', (span) => {
      expect(span.isRecording()).toBe(false);
      propagation.inject(context.active(), carrier);
      span.end();
    });
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);

    const sampledCaller = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const parent = propagation.extract(context.active(), sampledCaller);
    tracer.startSpan('next stage', {}, parent).end();
    const [followed] = exporter.getFinishedSpans();
    expect(followed.name).toBe('next stage');
    expect(followed.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('records nothing with always_off, even under a caller that sampled', () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ service: 'unit', exporter, sampler: { name: 'always_off' } });
    const parent = propagation.extract(context.active(), { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    trace.getTracer('test').startSpan('ignored', {}, parent).end();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('exports spans by OTLP/HTTP to the given endpoint', async () => {
    const received: { url?: string; type?: string; body: Buffer }[] = [];
    const server = createServer(async (req, res) => {
      received.push({ url: req.url, type: req.headers['content-type'], body: await body(req) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      tracing = startTracing({ service: 'otlp-unit', otlpEndpoint: `http://127.0.0.1:${port}/` });
      const span = trace.getTracer('test').startSpan('exported-span');
      const traceId = span.spanContext().traceId;
      span.end();
      await tracing.shutdown();
      tracing = undefined;
      expect(received).toHaveLength(1);
      expect(received[0].url).toBe('/v1/traces');
      const text = received[0].body.toString('latin1');
      expect(text).toContain('exported-span');
      expect(text).toContain('otlp-unit');
      const wire = received[0].type?.includes('json') ? traceId : Buffer.from(traceId, 'hex').toString('latin1');
      expect(text).toContain(wire);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('creates spans with ids even when nothing is exported', async () => {
    tracing = startTracing({ service: 'silent' });
    const span = trace.getTracer('test').startSpan('x');
    expect(span.spanContext().traceId).not.toBe('00000000000000000000000000000000');
    expect(span.isRecording()).toBe(true);
    span.end();
  });
});
