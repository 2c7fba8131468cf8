import { describe, expect, it } from 'vitest';
import { DEFAULT_KIND_ACTIONS, parseClassificationSettings } from './classification-settings';

describe('parseClassificationSettings', () => {
  it('defaults to storing spam, lists, loops and abuse reports and attaching the rest', () => {
    expect(parseClassificationSettings({})).toEqual({ actions: DEFAULT_KIND_ACTIONS, problems: [] });
    expect(DEFAULT_KIND_ACTIONS).toEqual({
      spam: 'store', loop: 'store', bulk: 'store', feedback_report: 'store', bounce: 'attach', delivery_delay: 'attach',
      read_receipt: 'attach', out_of_office: 'attach', auto_reply: 'attach',
    });
  });

  it('takes valid actions and a threshold, and reports what it ignored', () => {
    const parsed = parseClassificationSettings({
      classification: { spam: 'ticket', auto_reply: 'store', bounce: 'attach', loop: 'attach', newsletter: 'store', spamThreshold: 7.5 },
    });
    expect(parsed.actions).toMatchObject({ spam: 'ticket', auto_reply: 'store', bounce: 'attach', loop: 'store' });
    expect(parsed.spamThreshold).toBe(7.5);
    expect(parsed.problems).toEqual(['loop: "attach" is not one of store, ticket', 'unknown kind "newsletter"']);
    expect(parseClassificationSettings({ classification: { spamThreshold: 'high' } }).problems).toEqual([
      'spamThreshold: "high" is not a number',
    ]);
  });
});
