/**
 * Secrets in containers are mounted as files (Kubernetes secrets, Docker
 * secrets), so every setting `KEY` may instead be given as `KEY_FILE`, a path
 * whose contents become the value. This mirrors EmailEngine's read-env-value.
 */
import { readFileSync } from 'node:fs';

const FILE_SUFFIX = '_FILE';

/**
 * Returns a copy of `env` in which every `KEY_FILE` has been read into `KEY`
 * (trailing newline trimmed). A directly set `KEY` wins over `KEY_FILE`.
 * Only the schema's own `keys` are resolved when given: other programs'
 * `*_FILE` variables in the environment (TF_CLI_CONFIG_FILE, …) are not ours.
 * Unreadable files are reported in `problems`, one line per setting.
 */
export function resolveFileSettings(
  env: Record<string, string | undefined>,
  keys?: readonly string[],
): { env: Record<string, string | undefined>; problems: string[] } {
  const out: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  const wanted = keys ? new Set(keys) : undefined;
  for (const [name, path] of Object.entries(env)) {
    if (!name.endsWith(FILE_SUFFIX) || name === FILE_SUFFIX || !path) continue;
    const key = name.slice(0, -FILE_SUFFIX.length);
    if (wanted && !wanted.has(key)) continue;
    if (env[key] !== undefined && env[key] !== '') continue;
    try {
      out[key] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${key}: cannot read ${name} ${path} (${reason})`);
    }
  }
  return { env: out, problems };
}
