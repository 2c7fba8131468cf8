/**
 * A stage service (fetcher, parser, classifier, ticketer, attachment,
 * sender) is a runService whose work is one runStage loop over its durable
 * consumer: this is that composition, so each stage's main.ts names only its
 * stage, input type and handler.
 */
import type { Message } from '@bufbuild/protobuf';
import { runStage, type Emit, type StageContext, type StageRunner } from '@postroom/bus';
import type { BaseConfig } from '@postroom/config';
import type { GenMessage, StageName } from '@postroom/contracts';
import { runService, type ServiceContext, type StartedService } from './run-service';

export interface StageServiceOptions<C extends BaseConfig, T extends Message> {
  stage: StageName;
  input: GenMessage<T>;
  tenantOf: (event: T) => string;
  /** The mail id for logs and spans, when the event does not carry `mail.mailId`. */
  mailIdOf?: (event: T) => string | undefined;
  loadConfig: () => C;
  database?: boolean;
  blobs?: boolean;
  /** Builds the handler once the connections are open. */
  handler(ctx: ServiceContext<C>): Promise<(event: T, stageCtx: StageContext) => Promise<Emit[]>> | ((event: T, stageCtx: StageContext) => Promise<Emit[]>);
  /** Anything else the service runs beside the stage (an HTTP endpoint, a command). */
  extras?(ctx: ServiceContext<C>): Promise<StartedService[]>;
}

export function runStageService<C extends BaseConfig & { STAGE_CONCURRENCY: number }, T extends Message>(
  opts: StageServiceOptions<C, T>,
): Promise<void> {
  return runService({
    name: opts.stage,
    loadConfig: opts.loadConfig,
    database: opts.database,
    blobs: opts.blobs,
    async start(ctx) {
      const handle = await opts.handler(ctx);
      const { logger, metrics, config, bus } = ctx;
      const stage: StageRunner = runStage(bus, {
        stage: opts.stage, input: opts.input, handle, tenantOf: opts.tenantOf, mailIdOf: opts.mailIdOf, logger, metrics, concurrency: config.STAGE_CONCURRENCY,
      });
      const extras = (await opts.extras?.(ctx)) ?? [];
      return {
        ready: Object.assign({ consumer: () => stage.bound() }, ...extras.map((e) => e.ready ?? {})),
        stop: async () => {
          await Promise.all([stage.stop(), ...extras.map((e) => e.stop())]);
        },
      };
    },
  });
}
