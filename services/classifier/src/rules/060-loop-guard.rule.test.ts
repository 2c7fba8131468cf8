import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { mail } from '../../test/mail';
import { loopGuard, MAX_RECEIVED } from './060-loop-guard.rule';

const received = (n: number) => Array.from({ length: n }, (_, i) => `Received: from hop${i}.example.net by hop${i + 1}.example.net`).join('\n');

describe('060 loop-guard', () => {
  it.each([
    ['30 Received headers', received(MAX_RECEIVED), 'received'],
    ['the same Delivered-To twice', 'Delivered-To: support@example.com\nDelivered-To: other@example.com\nDelivered-To: Support@example.com', 'delivered-to'],
    ['an X-Loop naming a recipient', 'To: Support <support@example.com>\nX-Loop: support@example.com', 'x-loop'],
  ])('flags %s as a loop', (_name, headers, source) => {
    const v = loopGuard(mail({ headers }));
    expect(v?.kind).toBe(MailKind.LOOP);
    expect(v?.reasons[0]).toMatchObject({ rule: 'loop-guard', source });
  });

  it.each([
    ['29 Received headers', received(MAX_RECEIVED - 1)],
    ['two different Delivered-To', 'Delivered-To: a@example.com\nDelivered-To: b@example.com'],
    ['an X-Loop naming someone else', 'To: support@example.com\nX-Loop: responder@elsewhere.example'],
    ['an ordinary mail', 'From: a@example.net\nTo: support@example.com\nSubject: hi'],
    // Mailman, SmartList and Majordomo stamp X-Loop with the list's address on every post to the list.
    ['a Mailman post (X-Loop is the list, List-Post names it)', 'To: dev@lists.example.org\nX-Loop: dev@lists.example.org\nList-Post: <mailto:dev@lists.example.org>'],
    ['a Majordomo post (X-Loop is the list, Sender is owner-<list>)', 'To: users@example.org\nX-Loop: users@example.org\nSender: owner-users@example.org\nPrecedence: bulk'],
  ])('has no evidence in %s', (_name, headers) => {
    expect(loopGuard(mail({ headers }))).toBeUndefined();
  });
});
