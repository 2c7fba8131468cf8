/**
 * The one consume loop every stage service uses (style guide §3): a durable
 * pull consumer read with `consume()` and a small `max_messages`, a
 * semaphore capping the handlers in flight, and a graceful stop that stops
 * pulling and waits for the handlers already running, so SIGTERM never
 * abandons work half done.
 */
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Message } from '@bufbuild/protobuf';
import { describeError } from '@postroom/errors';
import type { ServiceMetrics } from '@postroom/telemetry';
import type { Bus } from './connect';
import { processMessage, type StageHandlerOptions } from './process-message';
import { Semaphore } from './semaphore';
import { consumerPolicy, retryDelayMs, STAGES, type ConsumerPolicy } from './streams';

export interface RunStageOptions<T extends Message> extends StageHandlerOptions<T> {
  metrics?: ServiceMetrics;
  /** Handlers in flight at once (STAGE_CONCURRENCY); 16 by default. */
  concurrency?: number;
  /** Retry-delay overrides for tests; max_deliver itself is read from the server's consumer. */
  policy?: Partial<ConsumerPolicy>;
}

export interface StageRunner {
  /** True while the loop is attached to its consumer (for /readyz). */
  bound(): boolean;
  /** Stops pulling, waits for in-flight handlers, resolves. */
  stop(): Promise<void>;
}

interface LoopState {
  stopping: boolean;
  bound: boolean;
  messages?: ConsumerMessages;
  inFlight: Set<Promise<void>>;
  wake?: () => void;
}

const pause = (state: LoopState, ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    state.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

function watchStatus(messages: ConsumerMessages, state: LoopState): void {
  void (async () => {
    for await (const s of messages.status()) {
      if (s.type === 'consumer_deleted' || s.type === 'consumer_not_found' || s.type === 'stream_not_found') {
        state.bound = false;
      } else if (s.type === 'heartbeats_missed' && s.count > 1) {
        state.bound = false;
      } else if (s.type === 'next' || s.type === 'heartbeat') {
        state.bound = true;
      }
    }
  })().catch(() => undefined);
}

async function handleOne<T extends Message>(bus: Bus, msg: JsMsg, opts: RunStageOptions<T>, maxDeliver: number) {
  const policy = consumerPolicy(opts.policy);
  const started = process.hrtime.bigint();
  opts.metrics?.stageInFlight.inc({ stage: opts.stage });
  try {
    const outcome = await processMessage(bus, msg, opts, { policy, maxDeliver });
    opts.metrics?.stageMessages.inc({ stage: opts.stage, outcome });
  } catch (err) {
    // Only the dead-letter publish can get here (NATS unavailable); retry later rather than lose it.
    opts.logger.error({ stage: opts.stage, seq: msg.seq, err: describeError(err) }, 'could not dead-letter; naking');
    msg.nak(retryDelayMs(msg.info.deliveryCount, policy));
    opts.metrics?.stageMessages.inc({ stage: opts.stage, outcome: 'retry' });
  } finally {
    opts.metrics?.stageInFlight.dec({ stage: opts.stage });
    opts.metrics?.stageHandleSeconds.observe({ stage: opts.stage }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

async function consumeOnce<T extends Message>(bus: Bus, opts: RunStageOptions<T>, state: LoopState, sem: Semaphore) {
  const stream = bus.subjects.stream(STAGES[opts.stage].stream);
  const consumer = await bus.js.consumers.get(stream, opts.stage);
  const maxDeliver = (await consumer.info(true)).config.max_deliver ?? -1;
  const messages = await consumer.consume({ max_messages: Math.min(opts.concurrency ?? 16, 256) });
  state.messages = messages;
  state.bound = true;
  watchStatus(messages, state);
  if (state.stopping) messages.stop();
  for await (const msg of messages) {
    await sem.acquire();
    if (state.stopping) {
      // Buffered but not started: hand it back at once for another replica.
      msg.nak();
      sem.release();
      continue;
    }
    const task = handleOne(bus, msg, opts, maxDeliver).finally(() => {
      sem.release();
      state.inFlight.delete(task);
    });
    state.inFlight.add(task);
  }
}

async function loop<T extends Message>(bus: Bus, opts: RunStageOptions<T>, state: LoopState): Promise<void> {
  const sem = new Semaphore(opts.concurrency ?? 16);
  // A closed connection (bus.close()) ends the loop: nothing can be consumed any more.
  while (!state.stopping && !bus.nc.isClosed()) {
    try {
      await consumeOnce(bus, opts, state, sem);
    } catch (err) {
      opts.logger.error({ stage: opts.stage, err: describeError(err) }, 'stage consumer unavailable; retrying in 1 s');
    }
    state.bound = false;
    if (!state.stopping && !bus.nc.isClosed()) await pause(state, 1000);
  }
}

/** Starts consuming `opts.stage`'s durable consumer; see process-message for the per-message policy. */
export function runStage<T extends Message>(bus: Bus, opts: RunStageOptions<T>): StageRunner {
  const state: LoopState = { stopping: false, bound: false, inFlight: new Set() };
  const done = loop(bus, opts, state);
  return {
    bound: () => state.bound && !state.stopping,
    async stop() {
      state.stopping = true;
      state.messages?.stop();
      state.wake?.();
      await done;
      await Promise.allSettled([...state.inFlight]);
    },
  };
}
