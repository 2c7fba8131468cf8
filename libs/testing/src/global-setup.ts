/**
 * Vitest global setup: one Dovecot for the whole run (each test makes its own
 * users), its address handed to tests with `inject('dovecot')`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDovecot } from './dovecot';

declare module 'vitest' {
  export interface ProvidedContext {
    dovecot: { host: string; port: number; dir: string };
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'postroom-dovecot-'));
  const dovecot = await startDovecot(dir);
  project.provide('dovecot', { host: dovecot.host, port: dovecot.port, dir });
  return async () => {
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
