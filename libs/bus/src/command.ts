/**
 * Commands: request/reply over core NATS, for a caller that needs an answer
 * now (an agent's reply: "create it and give me its id"). Events go through
 * JetStream; a command does not, so its subject must be captured by no
 * stream (a stream would store the request and answer it with a PubAck).
 * Servers subscribe in a queue group, so N replicas share the requests and
 * each request is answered once. Request and response are protobuf; W3C trace
 * context rides in the headers, as with publishEvent, so a command is one
 * trace with the events it causes.
 *
 * A handler's own outcomes belong in its response message. When decoding
 * fails or the handler throws, the server answers with an empty body and the
 * Postroom-Error-Code / -Reason headers, and callCommand throws
 * BusError('COMMAND_FAILED'): a subscription never dies of one bad request.
 */
import type { Message } from '@bufbuild/protobuf';
import { errors, headers, type Msg } from '@nats-io/transport-node';
import { propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { fromBinary, toBinary, type GenMessage } from '@postroom/contracts';
import { describeError, errorCode, TerminalError } from '@postroom/errors';
import type { Logger } from '@postroom/telemetry';
import type { Bus } from './connect';
import { BusError } from './errors';
import { ERROR_CODE_HEADER, ERROR_REASON_HEADER, TENANT_HEADER, headerValue } from './headers';
import { failSpan, TRACER_NAME } from './publish';
import { Semaphore } from './semaphore';
import { headerGetter, outgoingHeaders } from './trace-carrier';

/** A command's subject and its request and response types, shared by server and caller. */
export interface CommandSpec<Req extends Message, Res extends Message> {
  subject: string;
  request: GenMessage<Req>;
  response: GenMessage<Res>;
}

export interface CommandContext {
  /** From the Postroom-Tenant header, when the caller set one. */
  tenantId?: string;
  logger: Logger;
}

export interface ServeCommandOptions<Req extends Message, Res extends Message> extends CommandSpec<Req, Res> {
  /** Queue group: replicas in one group share the requests. */
  queue: string;
  handle: (request: Req, ctx: CommandContext) => Promise<Res>;
  logger: Logger;
  /** Requests handled at once per process; 16 by default. */
  concurrency?: number;
}

export interface CommandServer {
  /** Stops taking requests (drains the subscription) and waits for those in flight. */
  stop(): Promise<void>;
}

export interface CallCommandOptions {
  /** How long to wait for the answer; 10 s by default. */
  timeoutMs?: number;
  tenantId?: string;
}

const attributesOf = (subject: string, tenantId?: string) => ({
  'messaging.system': 'nats',
  'messaging.destination.name': subject,
  ...(tenantId ? { 'postroom.tenant_id': tenantId } : {}),
});

function errorHeaders(err: unknown) {
  const h = headers();
  h.set(ERROR_CODE_HEADER, headerValue(errorCode(err)));
  h.set(ERROR_REASON_HEADER, headerValue(describeError(err)));
  return h;
}

function decode<T extends Message>(schema: GenMessage<T>, data: Uint8Array, what: string): T {
  try {
    return fromBinary(schema, data);
  } catch (err) {
    throw new TerminalError('DECODE_FAILED', `${what} is not a ${schema.typeName}`, { cause: err });
  }
}

async function answer<Req extends Message, Res extends Message>(msg: Msg, opts: ServeCommandOptions<Req, Res>): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, msg.headers, headerGetter);
  const tenantId = msg.headers?.get(TENANT_HEADER) || undefined;
  const logger = opts.logger.child({ command: opts.subject, ...(tenantId ? { tenantId } : {}) });
  const spanOpts = { kind: SpanKind.SERVER, attributes: { ...attributesOf(opts.subject, tenantId), 'messaging.consumer.group.name': opts.queue } };
  await trace.getTracer(TRACER_NAME).startActiveSpan(`process ${opts.subject}`, spanOpts, parent, async (span) => {
    try {
      const response = await opts.handle(decode(opts.request, msg.data, 'request'), { tenantId, logger });
      if (!msg.respond(toBinary(opts.response, response))) logger.warn('command request had no reply subject; answer dropped');
    } catch (err) {
      failSpan(span, err);
      logger.error({ err: describeError(err), code: errorCode(err) }, 'command failed');
      msg.respond(new Uint8Array(), { headers: errorHeaders(err) });
    } finally {
      span.end();
    }
  });
}

/** Subscribes `opts.handle` to the command's subject in queue group `opts.queue`. */
export function serveCommand<Req extends Message, Res extends Message>(bus: Bus, opts: ServeCommandOptions<Req, Res>): CommandServer {
  const sub = bus.nc.subscribe(opts.subject, { queue: opts.queue });
  const permits = new Semaphore(opts.concurrency ?? 16);
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    for await (const msg of sub) {
      await permits.acquire();
      const done: Promise<void> = answer(msg, opts)
        .catch((err: unknown) => opts.logger.error({ err: describeError(err) }, 'command answer failed'))
        .finally(() => {
          permits.release();
          inFlight.delete(done);
        });
      inFlight.add(done);
    }
  })().catch((err: unknown) => opts.logger.error({ err: describeError(err), command: opts.subject }, 'command subscription ended'));
  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        if (!sub.isClosed() && !bus.nc.isClosed()) await sub.drain();
        await loop;
        await Promise.all([...inFlight]);
      })()),
  };
}

function requestError(subject: string, err: unknown): BusError {
  if (err instanceof errors.NoRespondersError || (err instanceof errors.RequestError && err.isNoResponders())) {
    return new BusError('COMMAND_NO_RESPONDERS', `${subject}: no service is listening (is it running?)`, { cause: err });
  }
  if (err instanceof errors.TimeoutError) return new BusError('COMMAND_TIMEOUT', `${subject}: no answer in time`, { cause: err });
  return new BusError('COMMAND_FAILED', `${subject}: ${describeError(err)}`, { cause: err });
}

/** Sends a command and returns the decoded response; throws BusError (COMMAND_*) when there is none. */
export async function callCommand<Req extends Message, Res extends Message>(
  bus: Bus,
  spec: CommandSpec<Req, Res>,
  request: Req,
  opts: CallCommandOptions = {},
): Promise<Res> {
  const spanOpts = { kind: SpanKind.CLIENT, attributes: attributesOf(spec.subject, opts.tenantId) };
  return trace.getTracer(TRACER_NAME).startActiveSpan(`send ${spec.subject}`, spanOpts, async (span) => {
    try {
      const h = outgoingHeaders(opts.tenantId);
      const data = toBinary(spec.request, request);
      const reply = await bus.nc.request(spec.subject, data, { timeout: opts.timeoutMs ?? 10_000, headers: h }).catch((err: unknown) => {
        throw requestError(spec.subject, err);
      });
      const code = reply.headers?.get(ERROR_CODE_HEADER);
      if (code) throw new BusError('COMMAND_FAILED', `${spec.subject}: ${code}: ${reply.headers?.get(ERROR_REASON_HEADER) ?? ''}`);
      return decode(spec.response, reply.data, 'response');
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}
