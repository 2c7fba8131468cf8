/**
 * The project's test command (`npm test`): typecheck, then every vitest
 * suite against the real servers, then one plain closing line
 * ("tests: N passed, N failed") that CI can read whatever the runner.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

if (run('tsc', ['-p', 'tsconfig.base.json', '--noEmit']) !== 0) {
  console.error('typecheck failed');
  process.exit(1);
}

mkdirSync('.postroom', { recursive: true });
const report = '.postroom/vitest-report.json';
const status = run('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);

try {
  const result = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  console.log(`tests: ${result.numPassedTests} passed, ${result.numFailedTests} failed`);
} catch {
  console.log('tests: 0 passed, 1 failed');
}
process.exit(status);
