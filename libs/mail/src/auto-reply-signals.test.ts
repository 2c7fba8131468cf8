import { describe, expect, it } from 'vitest';
import { autoReplySignals, autoSubmittedKeyword, mustNotAutoRespond } from './auto-reply-signals';
import { parseHeaderBlock } from './header-fields';

const signals = (block: string) => autoReplySignals(parseHeaderBlock(block)).map((s) => `${s.kind}:${s.source}`);

describe('auto-reply signals', () => {
  it('reads the RFC 3834 keyword without parameters or comments', () => {
    expect(autoSubmittedKeyword('auto-replied (vacation)')).toBe('auto-replied');
    expect(autoSubmittedKeyword('Auto-Notified; owner-email="a@x"')).toBe('auto-notified');
  });

  it.each([
    ['Auto-Submitted: auto-replied', ['auto-replied:auto-submitted']],
    ['Auto-Submitted: auto-generated', ['auto-generated:auto-submitted']],
    ['Auto-Submitted: no', []],
    ['Precedence: bulk\nList-Id: <l.example>', ['bulk:precedence', 'bulk:list-id']],
    ['Precedence: auto_reply', ['auto-replied:precedence']],
    ['X-Autoreply: yes\nX-Autorespond: 1', ['auto-replied:x-autoreply', 'auto-replied:x-autorespond']],
    ['X-Autoreply: no', []],
    ['X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply', ['suppress:x-auto-response-suppress']],
    ['X-Auto-Response-Suppress: None', []],
    ['X-MS-Exchange-Inbox-Rules-Loop: a@x', ['auto-generated:x-ms-exchange-inbox-rules-loop']],
    ['From: a@x\nSubject: hi', []],
  ])('%s', (block, expected) => {
    expect(signals(block)).toEqual(expected);
  });

  it('forbids auto-responding to anything automated (RFC 3834 §2)', () => {
    expect(mustNotAutoRespond(parseHeaderBlock('List-Unsubscribe: <mailto:u@x>'))).toBe(true);
    expect(mustNotAutoRespond(parseHeaderBlock('From: a@x'))).toBe(false);
  });
});
