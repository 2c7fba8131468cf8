import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { mail } from '../../test/mail';
import { bulk } from './100-bulk.rule';

describe('100 bulk', () => {
  it.each([
    ['List-Id: Product news <news.example.com>', 'list-id'],
    ['List-Unsubscribe: <https://example.com/u/1>, <mailto:u@example.com>', 'list-unsubscribe'],
    ['Precedence: bulk', 'precedence'],
    ['Precedence: list', 'precedence'],
    ['Precedence: junk', 'precedence'],
    ['Feedback-ID: 1234:campaign:esp', 'feedback-id'],
    ['X-Campaign-Id: 8812', 'x-campaign-id'],
  ])('flags %s', (headers, source) => {
    const v = bulk(mail({ headers }));
    expect(v?.kind).toBe(MailKind.BULK);
    expect(v?.reasons[0].source).toBe(source);
  });

  it.each([['Precedence: first-class'], ['Subject: list of parts'], ['X-Mailer: Outlook']])('does not flag %s', (headers) => {
    expect(bulk(mail({ headers }))).toBeUndefined();
  });
});
