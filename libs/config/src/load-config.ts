/**
 * The single place configuration is validated. Pure: the caller passes the
 * environment in (main.ts passes process.env), so tests need no globals.
 */
import { z } from 'zod';
import { ConfigError } from './config-error';
import { resolveFileSettings } from './read-env-value';

/** One line for one zod issue, naming the setting: "ENCRYPTION_KEY: required (…)". */
function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = issue.path.map(String).join('.') || '(config)';
  const missing = issue.path.length > 0 && (env[name] === undefined || env[name] === '');
  if (missing && issue.code === 'invalid_type') {
    const hint = issue.message && !issue.message.startsWith('Invalid input') ? ` (${issue.message})` : '';
    return `${name}: required${hint}`;
  }
  return `${name}: ${issue.message}`;
}

/**
 * Resolves `KEY_FILE` settings, validates `env` against `schema`, and returns a
 * frozen, typed result. Throws ConfigError listing every problem at once.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
): Readonly<z.infer<S>> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  const resolved = resolveFileSettings(env, shape ? Object.keys(shape) : undefined);
  // Empty strings mean "unset" (docker-compose `FOO=` lines), so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(resolved.env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  const issues = [...resolved.problems];
  if (!result.success) issues.push(...result.error.issues.map((i) => describeIssue(i, cleaned)));
  if (issues.length > 0) throw new ConfigError(issues);
  return Object.freeze(result.data as z.infer<S>);
}
