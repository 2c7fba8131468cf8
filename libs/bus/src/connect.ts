/**
 * Opens the one NATS connection a process uses and proves, before any work
 * starts, that the server is reachable, new enough and has JetStream, so a
 * misconfigured service stops at once with one line naming NATS_URL.
 */
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { jserrors } from '@nats-io/jetstream/internal';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects as subjectsFor, type Subjects } from '@postroom/contracts';
import type { Logger } from '@postroom/telemetry';
import { BusError } from './errors';
import { MIN_NATS_VERSION, isSupportedServer } from './server-version';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  subjects: Subjects;
  namespace: string;
  /** Drains the connection: in-flight publishes and acks are flushed first. */
  close(): Promise<void>;
}

export interface ConnectBusOptions {
  url: string;
  namespace: string;
  /** Connection name shown by the server (`nats server report connections`). */
  name: string;
  logger: Logger;
  /** Milliseconds to wait for the first connection; 5000 by default. */
  timeoutMs?: number;
}

/** The URL with any password masked, safe for error messages and logs. */
export function maskUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/g, '//$1:***@');
}

async function open(opts: ConnectBusOptions): Promise<NatsConnection> {
  try {
    return await connect({
      servers: opts.url.split(','),
      name: opts.name,
      timeout: opts.timeoutMs ?? 5000,
      // After the first connection succeeds, ride out server restarts.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      // The client otherwise builds an Error per request to keep async stack
      // traces; profiles of the stages showed it costing 14-26 % of their CPU.
      noAsyncTraces: true,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new BusError('NATS_UNREACHABLE', `NATS_URL ${maskUrl(opts.url)}: ${reason}`, { cause: err });
  }
}

async function checkServer(nc: NatsConnection, url: string): Promise<JetStreamManager> {
  const version = nc.info?.version ?? '0.0.0';
  if (!isSupportedServer(version)) {
    throw new BusError(
      'NATS_TOO_OLD',
      `NATS server ${version} at NATS_URL ${maskUrl(url)}: Postroom needs ${MIN_NATS_VERSION} or newer with JetStream`,
    );
  }
  try {
    return await jetstreamManager(nc);
  } catch (err) {
    const accountOff = err instanceof JetStreamApiError && err.code === JetStreamApiCodes.JetStreamNotEnabledForAccount;
    if (err instanceof jserrors.JetStreamNotEnabled || accountOff) {
      throw new BusError(
        'JETSTREAM_DISABLED',
        `NATS server ${version} at NATS_URL ${maskUrl(url)} has JetStream disabled: start it with -js (or jetstream {} in its config)`,
        { cause: err },
      );
    }
    throw new BusError('NATS_UNREACHABLE', `NATS_URL ${maskUrl(url)}: JetStream API: ${String(err)}`, { cause: err });
  }
}

function logStatus(nc: NatsConnection, logger: Logger): void {
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') {
        logger.warn({ nats: s.type, server: 'server' in s ? s.server : undefined }, `NATS ${s.type}`);
      }
    }
  })();
}

/** Connects to NATS and checks the server; throws BusError with a one-line reason. */
export async function connectBus(opts: ConnectBusOptions): Promise<Bus> {
  const nc = await open(opts);
  let jsm: JetStreamManager;
  try {
    jsm = await checkServer(nc, opts.url);
  } catch (err) {
    await nc.close();
    throw err;
  }
  logStatus(nc, opts.logger);
  opts.logger.info({ server: nc.info?.version, namespace: opts.namespace }, 'connected to NATS');
  return {
    nc,
    js: jetstream(nc),
    jsm,
    subjects: subjectsFor(opts.namespace),
    namespace: opts.namespace,
    close: () => nc.drain(),
  };
}
