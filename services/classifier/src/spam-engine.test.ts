import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { decidedBeforeSpam, judge } from './spam-engine';
import { normalVerdict, reason, verdict } from './verdict';

const check = (score: number, action: string) => ({
  action, score, requiredScore: 15, symbols: [{ name: 'MISSING_MID', score: 2.5 }, { name: 'MIME_GOOD', score: -0.1 }],
});

describe('judge', () => {
  it('takes rspamd\'s spam actions without a threshold, never greylist or soft reject', () => {
    expect(judge(normalVerdict(), check(7, 'add header'), undefined).kind).toBe(MailKind.SPAM);
    expect(judge(normalVerdict(), check(16, 'reject'), undefined).confidence).toBe(0.95);
    expect(judge(normalVerdict(), check(4.5, 'greylist'), undefined).kind).toBe(MailKind.NORMAL);
    expect(judge(normalVerdict(), check(9, 'soft reject'), undefined).kind).toBe(MailKind.NORMAL);
  });

  it('compares the score with a mailbox threshold, recording the evidence either way', () => {
    const spam = judge(normalVerdict(), check(3.4, 'no action'), 3);
    expect(spam.kind).toBe(MailKind.SPAM);
    expect(spam.reasons).toHaveLength(1);
    expect(spam.reasons[0].detail).toBe('score 3.4 ≥ mailbox threshold 3; action "no action"; MISSING_MID(2.5)');
    expect(judge(normalVerdict(), check(7, 'add header'), undefined).reasons[0].detail).toBe(
      'action "add header" (score 7; rspamd rejects at 15); MISSING_MID(2.5)',
    );
    const ham = judge(normalVerdict(), check(16, 'reject'), 20);
    expect(ham.kind).toBe(MailKind.NORMAL);
    expect(ham.reasons.map((r) => r.rule)).toEqual(['default', 'rspamd']);
  });
});

describe('decidedBeforeSpam', () => {
  it('lets bounces, reports, loops and upstream spam verdicts stand, and asks about the rest', () => {
    const by = (rule: string, kind: MailKind) => verdict(kind, 1, [reason(rule, 'x')]);
    expect(decidedBeforeSpam(by('dsn-bounce', MailKind.BOUNCE))).toBe(true);
    expect(decidedBeforeSpam(by('loop-guard', MailKind.LOOP))).toBe(true);
    expect(decidedBeforeSpam(by('spam', MailKind.SPAM))).toBe(true);
    expect(decidedBeforeSpam(by('out-of-office', MailKind.OUT_OF_OFFICE))).toBe(false);
    expect(decidedBeforeSpam(by('bulk', MailKind.BULK))).toBe(false);
    expect(decidedBeforeSpam(normalVerdict())).toBe(false);
  });
});
