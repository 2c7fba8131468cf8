import { describe, expect, it } from 'vitest';
import { parseTicketTag, stripReplyPrefixes, withTicketTag } from './subject-tag';

describe('subject tag', () => {
  it.each([
    ['Re: [#1234] Printer', 1234],
    ['AW: WG: [#7] Drucker [#8]', 7],
    ['[#0] zero', undefined],
    ['[# 12] spaced', undefined],
    ['no tag', undefined],
  ])('%s → %s', (subject, n) => {
    expect(parseTicketTag(subject)).toBe(n);
  });

  it('adds the tag once', () => {
    expect(withTicketTag('Printer', 12)).toBe('[#12] Printer');
    expect(withTicketTag('Re: [#12] Printer', 12)).toBe('Re: [#12] Printer');
  });

  it.each([
    ['Re: AW: Fwd: Printer', 'Printer'],
    ['RE[2]: SV: VS: Antw: Printer', 'Printer'],
    ['回复：打印机', '打印机'],
    ['Reply about Re:', 'Reply about Re:'],
  ])('strips reply prefixes from %s', (subject, expected) => {
    expect(stripReplyPrefixes(subject)).toBe(expected);
  });
});
