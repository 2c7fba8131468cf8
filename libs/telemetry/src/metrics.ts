/**
 * Prometheus metrics for one service: Node's default process metrics plus the
 * stage counters every pipeline stage shares (libs/bus records them), on a
 * per-service Registry so tests and several services in one process don't
 * collide on prom-client's global registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type StageOutcome = 'ok' | 'retry' | 'dead_letter' | 'duplicate';

export interface ServiceMetrics {
  registry: Registry;
  stageMessages: Counter<'stage' | 'outcome'>;
  stageHandleSeconds: Histogram<'stage'>;
  stageInFlight: Gauge<'stage'>;
}

/** Metric names follow `postroom_<service>_<thing>_<unit|total>` (style guide §9). */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  const prefix = `postroom_${service.replace(/[^a-zA-Z0-9_]/g, '_')}_`;
  collectDefaultMetrics({ register: registry, prefix });
  return {
    registry,
    stageMessages: new Counter({
      name: `${prefix}stage_messages_total`,
      help: 'Messages a stage finished, by outcome (ok, retry, dead_letter, duplicate)',
      labelNames: ['stage', 'outcome'],
      registers: [registry],
    }),
    stageHandleSeconds: new Histogram({
      name: `${prefix}stage_handle_seconds`,
      help: 'Time from receiving a message to its ack, nak or dead-letter',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    stageInFlight: new Gauge({
      name: `${prefix}stage_in_flight`,
      help: 'Messages a stage is handling right now',
      labelNames: ['stage'],
      registers: [registry],
    }),
  };
}
