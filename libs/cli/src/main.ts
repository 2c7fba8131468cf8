#!/usr/bin/env node
/**
 * `postroom`: the operator's command line. Each command is one file in
 * commands/; this file only dispatches. Run with `npm run postroom -- <cmd>`.
 */
import { ConfigError, EX_CONFIG } from '@postroom/config';
import { describeError } from '@postroom/errors';
import { COMMANDS, usage } from './commands/index';

async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  const command = group ? COMMANDS[group] : undefined;
  if (!command) {
    process.stdout.write(usage());
    return group && group !== 'help' && group !== '--help' ? 64 : 0;
  }
  await command.run(rest);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`postroom: invalid configuration: ${err.issues.join('; ')}\n`);
      process.exit(EX_CONFIG);
    }
    process.stderr.write(`postroom: ${describeError(err)}\n`);
    process.exit(1);
  },
);
