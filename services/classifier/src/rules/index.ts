/**
 * The rule chain, in order; the first rule with evidence decides. Specific
 * before generic: machine-readable reports (RFC 3464, 8098, 5965, provider
 * JSON notifications), then text-only bounces (mail systems', then list
 * servers'), then loops, upstream spam
 * verdicts, out-of-office, other automatic mail, and lists last. A bounce
 * is never answered either, so bounce rules may run before the loop guard
 * (real bounces of forwarded mail repeat Delivered-To). See
 * docs/classification.md for why this order and not another.
 */
import type { Rule } from '../verdict';
import { dsnBounce } from './010-dsn-bounce.rule';
import { readReceipt } from './020-read-receipt.rule';
import { feedbackReport } from './030-feedback-report.rule';
import { providerNotification } from './040-provider-notification.rule';
import { vendorBounce } from './050-vendor-bounce.rule';
import { listServerBounce } from './055-list-server-bounce.rule';
import { loopGuard } from './060-loop-guard.rule';
import { createSpamRule, type SpamOptions } from './070-spam.rule';
import { outOfOffice } from './080-out-of-office.rule';
import { autoSubmitted } from './090-auto-submitted.rule';
import { bulk } from './100-bulk.rule';

export interface RuleOptions {
  spam?: Partial<SpamOptions>;
}

export function createRules(opts: RuleOptions = {}): readonly Rule[] {
  return [
    dsnBounce,
    readReceipt,
    feedbackReport,
    providerNotification,
    vendorBounce,
    listServerBounce,
    loopGuard,
    createSpamRule(opts.spam),
    outOfOffice,
    autoSubmitted,
    bulk,
  ];
}

export const RULES: readonly Rule[] = createRules();

/**
 * The rules up to and including the spam rule, by the name in their reasons:
 * a verdict of one of these stands, and an optional spam engine is asked
 * only about the others (it takes the spam rule's place in the order).
 */
export const DECIDED_BEFORE_SPAM: readonly string[] = [
  'dsn-bounce', 'read-receipt', 'feedback-report', 'provider-notification', 'vendor-bounce', 'list-server-bounce', 'loop-guard', 'spam',
];
