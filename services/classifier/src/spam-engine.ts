/**
 * The optional spam engine (rspamd) in the chain's spam position: its
 * verdict counts where the upstream spam rule's would, i.e. after the
 * report, bounce and loop rules (a real bounce an engine dislikes stays a
 * bounce the ticketer can link) and before out-of-office, automatic and list
 * mail (spammers add those headers freely). The engine reads the raw bytes
 * from the blob store. A mailbox's `classification.spamThreshold` decides on
 * the score; without one, the engine's own action does.
 *
 * Engine down: with onError `retry` the stage retries (RetryableError) and
 * only the last delivery classifies without it, so an outage delays mail
 * and never dead-letters it; with `skip` the mail is classified at once
 * without it. Either way the verdict records that the engine was not asked.
 */
import type { StageContext } from '@postroom/bus';
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { describeError } from '@postroom/errors';
import { DECIDED_BEFORE_SPAM } from './rules/index';
import type { SpamCheck, SpamEngine } from './rspamd-client';
import { SpamEngineError } from './rspamd-client';
import { reason, verdict } from './verdict';

/** rspamd actions that mean "spam" for its own thresholds; greylist and soft reject are delays, not verdicts. */
const SPAM_ACTIONS = new Set(['reject', 'add header', 'rewrite subject']);

export interface SpamEngineDeps {
  engine: SpamEngine;
  blobs: { get(key: string): Promise<Uint8Array> };
  /** The mailbox's spamThreshold, if it has one. */
  thresholdOf(tenantId: string, mailboxId: string): Promise<number | undefined>;
  onError: 'retry' | 'skip';
}

/** True when the chain's verdict came from a rule the engine cannot override. */
export const decidedBeforeSpam = (v: Verdict): boolean => DECIDED_BEFORE_SPAM.includes(v.reasons[0]?.rule ?? '');

const withReason = (v: Verdict, detail: string): Verdict => ({ ...v, reasons: [...v.reasons, reason('rspamd', detail, 'rspamd')] });

const topSymbols = (c: SpamCheck): string =>
  c.symbols.filter((s) => s.score > 0).slice(0, 8).map((s) => `${s.name}(${s.score})`).join(' ');

/** The verdict after the engine's check: SPAM on its evidence, else the chain's verdict with the score recorded. */
export function judge(chain: Verdict, check: SpamCheck, threshold: number | undefined): Verdict {
  const spam = threshold === undefined ? SPAM_ACTIONS.has(check.action) : check.score >= threshold;
  const basis = threshold === undefined
    ? `action "${check.action}" (score ${check.score}; rspamd rejects at ${check.requiredScore})`
    : `score ${check.score} ${spam ? '≥' : '<'} mailbox threshold ${threshold}; action "${check.action}"`;
  const detail = [basis, topSymbols(check)].filter((part) => part !== '').join('; ');
  if (!spam) return withReason(chain, `not spam: ${detail}`);
  const others = chain.reasons.filter((r) => r.rule !== 'default');
  return verdict(MailKind.SPAM, check.action === 'reject' ? 0.95 : 0.85, [reason('rspamd', detail, 'rspamd'), ...others]);
}

/** Asks the engine about `e` when the chain's verdict leaves room for it. */
export async function consultSpamEngine(d: SpamEngineDeps, e: MailParsed, chain: Verdict, ctx?: StageContext): Promise<Verdict> {
  if (decidedBeforeSpam(chain)) return chain;
  const rawKey = e.raw?.key ?? '';
  if (rawKey === '') return withReason(chain, `${d.engine.name} not asked: the event has no raw message`);
  let check: SpamCheck;
  try {
    check = await d.engine.check(await d.blobs.get(rawKey), { queueId: e.mail?.mailId ?? '' });
  } catch (err) {
    if (!(err instanceof SpamEngineError) || (d.onError === 'retry' && !ctx?.lastDelivery)) throw err;
    ctx?.logger.warn({ err: describeError(err) }, 'spam engine unavailable; classified without it');
    return withReason(chain, `${d.engine.name} not asked: ${describeError(err)}`);
  }
  const threshold = await d.thresholdOf(e.mail?.tenantId ?? '', e.mail?.mailboxId ?? '');
  return judge(chain, check, threshold);
}
