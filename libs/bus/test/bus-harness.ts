/**
 * A connected Bus in a namespace of its own, so parallel test files never
 * share streams, and a cleanup that deletes every stream it created.
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '@postroom/telemetry';
import { Writable } from 'node:stream';
import { connectBus, type Bus } from '../src/connect';
import { ensureTopology } from '../src/topology';
import type { ConsumerPolicy } from '../src/streams';

export const NATS_URL = 'nats://127.0.0.1:4222';

export const silentLogger = () =>
  createLogger({ service: 'bus-test', level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

export interface TestBus {
  bus: Bus;
  cleanup(): Promise<void>;
}

/** Fast-retry policy for tests; production defaults live in streams.ts. */
export const TEST_POLICY: Partial<ConsumerPolicy> = { maxDeliver: 3, ackWaitMs: 5000, baseDelayMs: 20, maxDelayMs: 100 };

export async function openTestBus(opts: { topology?: boolean } = {}): Promise<TestBus> {
  const namespace = `tb${randomBytes(5).toString('hex')}`;
  const bus = await connectBus({ url: NATS_URL, namespace, name: `test-${namespace}`, logger: silentLogger() });
  if (opts.topology !== false) await ensureTopology(bus, { policy: TEST_POLICY });
  return {
    bus,
    async cleanup() {
      for await (const name of bus.jsm.streams.names()) {
        if (name.startsWith(`${namespace}_`)) await bus.jsm.streams.delete(name);
      }
      await bus.close();
    },
  };
}
