export * from './run-service';
export * from './run-stage-service';
export * from './ttl-cache';
