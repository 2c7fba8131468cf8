/**
 * rspamd's HTTP scanning API: `POST /checkv2` with the raw RFC 5322 message
 * as the body answers `{ action, score, required_score, symbols }` (rspamd
 * protocol docs, "Rspamd HTTP request"). `Queue-Id` names the mail in
 * rspamd's log. The normal worker (11333) and the proxy in self-scan mode
 * (11332) both serve it. Every failure to get an answer — refused, timed
 * out, an HTTP error, a body that is not a verdict — is a SpamEngineError, a
 * RetryableError the caller may retry or skip.
 */
import { RetryableError, describeError } from '@postroom/errors';

export interface SpamCheck {
  /** rspamd's action for its configured thresholds: `no action`, `greylist`, `add header`, `rewrite subject`, `soft reject`, `reject`. */
  action: string;
  score: number;
  /** The score at which rspamd itself would reject. */
  requiredScore: number;
  /** Symbols that fired, highest score first. */
  symbols: Array<{ name: string; score: number }>;
}

/** A spam engine the classifier may consult; rspamd is the one there is. */
export interface SpamEngine {
  name: string;
  check(raw: Uint8Array, meta: { queueId: string }): Promise<SpamCheck>;
}

/** The engine gave no verdict (down, slow, or answering nonsense). */
export class SpamEngineError extends RetryableError {}

interface CheckV2 {
  action?: unknown;
  score?: unknown;
  required_score?: unknown;
  symbols?: Record<string, { score?: unknown }>;
}

function toCheck(body: CheckV2): SpamCheck | undefined {
  if (typeof body.action !== 'string' || typeof body.score !== 'number') return undefined;
  const symbols = Object.entries(body.symbols ?? {})
    .map(([name, s]) => ({ name, score: typeof s?.score === 'number' ? s.score : 0 }))
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  return { action: body.action, score: body.score, requiredScore: Number(body.required_score ?? Number.NaN), symbols };
}

/** A client for the rspamd at `url` (e.g. `http://127.0.0.1:11333`). */
export function createRspamdClient(opts: { url: string; timeoutMs: number }): SpamEngine {
  const endpoint = `${opts.url.replace(/\/+$/, '')}/checkv2`;
  return {
    name: 'rspamd',
    async check(raw, meta) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          body: raw,
          headers: { 'Queue-Id': meta.queueId.replace(/[^\x21-\x7e]/g, '') },
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
      } catch (err) {
        throw new SpamEngineError('RSPAMD_UNAVAILABLE', `rspamd at ${endpoint}: ${describeError(err)}`, { cause: err });
      }
      const text = await res.text().catch((err: unknown) => `(body unreadable: ${describeError(err)})`);
      if (!res.ok) throw new SpamEngineError('RSPAMD_UNAVAILABLE', `rspamd at ${endpoint}: HTTP ${res.status} ${text.slice(0, 200)}`);
      let check: SpamCheck | undefined;
      try {
        check = toCheck(JSON.parse(text) as CheckV2);
      } catch {
        check = undefined;
      }
      if (!check) throw new SpamEngineError('RSPAMD_BAD_RESPONSE', `rspamd at ${endpoint} answered no verdict: ${text.slice(0, 200)}`);
      return check;
    },
  };
}
