/**
 * Bad configuration must stop a service at start with one clear line per
 * setting, not a stack trace. `exitOnConfigError` turns a ConfigError into
 * that line and exit status 78 (EX_CONFIG, sysexits.h).
 */

/** Every configuration problem found, one line each, each naming its setting. */
export class ConfigError extends Error {
  readonly issues: string[];

  constructor(issues: string[]) {
    super(issues.join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** EX_CONFIG from sysexits.h: "something was found in an unconfigured or misconfigured state". */
export const EX_CONFIG = 78;

/**
 * Runs `load`; on ConfigError prints `postroom: invalid configuration: …` to
 * stderr and exits 78. Other errors propagate.
 */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`postroom: invalid configuration: ${err.issues.join('; ')}\n`);
    process.exit(EX_CONFIG);
  }
}
