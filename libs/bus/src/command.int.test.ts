import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { create, CreateReplyRequestSchema, CreateReplyResponseSchema, type CreateReplyRequest } from '@postroom/contracts';
import { TerminalError } from '@postroom/errors';
import { startTracing } from '@postroom/telemetry';
import { openTestBus, silentLogger, type TestBus } from '../test/bus-harness';
import { callCommand, serveCommand, type CommandSpec, type ServeCommandOptions } from './command';

type Spec = CommandSpec<CreateReplyRequest, ReturnType<typeof reply>>;
const reply = (messageId: string) => create(CreateReplyResponseSchema, { messageId });
const request = (text: string) => create(CreateReplyRequestSchema, { tenantId: 'tn1', ticketNumber: 7n, text });

describe('request/reply commands', () => {
  let t: TestBus;
  let spec: Spec;
  const exporter = new InMemorySpanExporter();
  let tracing: ReturnType<typeof startTracing>;
  const serve = (handle: ServeCommandOptions<CreateReplyRequest, ReturnType<typeof reply>>['handle'], queue = 'q') =>
    serveCommand(t.bus, { ...spec, queue, handle, logger: silentLogger() });

  beforeAll(async () => {
    tracing = startTracing({ service: 'bus-command-test', exporter });
    t = await openTestBus();
    spec = { subject: t.bus.subjects.ticketCommandReply, request: CreateReplyRequestSchema, response: CreateReplyResponseSchema };
  });
  afterAll(async () => {
    await t.cleanup();
    await tracing.shutdown();
  });

  it('answers with the handler response, passing the tenant and the trace context', async () => {
    const seen: Array<string | undefined> = [];
    const server = serve(async (req, ctx) => (seen.push(ctx.tenantId), reply(`${req.text}:${req.ticketNumber}`)));
    try {
      const res = await callCommand(t.bus, spec, request('hello'), { tenantId: 'tn1' });
      expect(res.messageId).toBe('hello:7');
      expect(seen).toEqual(['tn1']);
    } finally {
      await server.stop();
    }
    const call = exporter.getFinishedSpans().find((s) => s.name === `send ${spec.subject}`)!;
    const handled = exporter.getFinishedSpans().find((s) => s.name === `process ${spec.subject}`)!;
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(handled.kind).toBe(SpanKind.SERVER);
    expect(handled.spanContext().traceId).toBe(call.spanContext().traceId);
    expect(handled.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
  });

  it('shares requests among the members of a queue group, each answered once', async () => {
    const handledBy: string[] = [];
    const servers = ['a', 'b'].map((name) => serve(async (req) => (handledBy.push(name), reply(`${name}:${req.text}`))));
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => callCommand(t.bus, spec, request(String(i)))));
      expect(answers.map((a) => a.messageId.split(':')[1])).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
      expect(handledBy).toHaveLength(40);
      expect(new Set(handledBy)).toEqual(new Set(['a', 'b']));
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it('turns a throwing handler or an undecodable request into COMMAND_FAILED and keeps serving', async () => {
    const server = serve(async (req) => {
      if (req.text === 'boom') throw new TerminalError('TICKET_GONE', 'the ticket went away');
      return reply('ok');
    });
    try {
      await expect(callCommand(t.bus, spec, request('boom'))).rejects.toMatchObject({
        code: 'COMMAND_FAILED',
        message: expect.stringContaining('TICKET_GONE: the ticket went away'),
      });
      const garbage = await t.bus.nc.request(spec.subject, new Uint8Array([0xff, 0xff, 0xff]), { timeout: 10_000 });
      expect(garbage.headers?.get('Postroom-Error-Code')).toBe('DECODE_FAILED');
      expect((await callCommand(t.bus, spec, request('again'))).messageId).toBe('ok');
    } finally {
      await server.stop();
    }
  });

  it('reports a command nobody serves as COMMAND_NO_RESPONDERS', async () => {
    await expect(callCommand(t.bus, spec, request('anyone?'))).rejects.toMatchObject({ code: 'COMMAND_NO_RESPONDERS' });
  });

  it('reports a command whose server does not answer in time as COMMAND_TIMEOUT', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = serve(async () => (await gate, reply('too late')));
    try {
      await expect(callCommand(t.bus, spec, request('hurry'), { timeoutMs: 200 })).rejects.toMatchObject({ code: 'COMMAND_TIMEOUT' });
    } finally {
      release();
      await server.stop();
    }
  });

  it('stop() waits for the requests in flight, whose callers still get their answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const server = serve(async () => (started(), await gate, reply('late')));
    const answer = callCommand(t.bus, spec, request('slow'));
    await running;
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await answer).messageId).toBe('late');
  });
});
