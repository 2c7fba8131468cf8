/**
 * The only code that touches JetStream: connection, topology, publishing,
 * the stage consume loop and the dead-letter queue. See README.md.
 */
export { connectBus, maskUrl } from './connect';
export type { Bus, ConnectBusOptions } from './connect';
export { BusError } from './errors';
export type { BusErrorCode } from './errors';
export { compareVersions, isSupportedServer, MIN_NATS_VERSION } from './server-version';
export {
  STAGES,
  STAGE_NAMES,
  CONSUMER_POLICY,
  consumerPolicy,
  retryDelayMs,
  streamConfig,
  consumerConfig,
} from './streams';
export type { ConsumerPolicy, StageName, StreamName } from './streams';
export { ensureTopology } from './topology';
export type { TopologyOptions } from './topology';
export { publishEvent } from './publish';
export type { Emit, PubAck } from './publish';
export { runStage } from './run-stage';
export type { RunStageOptions, StageRunner } from './run-stage';
export type { StageContext } from './process-message';
export { serveCommand, callCommand } from './command';
export type { CommandSpec, CommandContext, CommandServer, ServeCommandOptions, CallCommandOptions } from './command';
export { deadLetter } from './dead-letter';
export type { DeadLetterInfo } from './dead-letter';
export { listDeadLetters, replayDeadLetter } from './dead-letters';
export type { DeadLetter } from './dead-letters';
export { headerGetter, headerSetter } from './trace-carrier';
export * from './headers';
export type { JsMsg } from '@nats-io/jetstream';
export { openLeaseStore, leaseKey, LeaseLostError } from './lease';
export type { Lease, LeaseStore, LeaseStoreOptions } from './lease';
