import { describe, expect, it } from 'vitest';
import type { MessageRow } from './messages';
import { findTicketTags, replySubject, replyThreading, ticketTag } from './outbound';

const msg = (id: string, direction: 'inbound' | 'outbound', kind = 'normal') => ({ messageIdHeader: id, direction, kind }) as MessageRow;

describe('reply helpers', () => {
  it('format and find ticket tags in any configured format', () => {
    expect(ticketTag(42)).toBe('[#42]');
    expect(findTicketTags('Re: [#42] and [#7]')).toEqual([42, 7]);
    expect(findTicketTags('Ticket#42 (Ticket#7)', '(Ticket#{number})')).toEqual([7]);
    expect(findTicketTags('[#abc] [#]')).toEqual([]);
  });

  it('build the reply subject once, without stacking prefixes or tags', () => {
    expect(replySubject({ subject: 'Printer', number: 3 })).toBe('Re: Printer [#3]');
    expect(replySubject({ subject: 'Re: Printer [#3]', number: 3 })).toBe('Re: Printer [#3]');
  });

  it('reply to the latest inbound mail and reference the whole thread, bounded', () => {
    const thread = [msg('a', 'inbound'), msg('b', 'outbound'), msg('c', 'inbound'), msg('d', 'inbound', 'bounce')];
    expect(replyThreading(thread)).toEqual({ inReplyTo: ['c'], references: ['a', 'b', 'c'] });
    const long = Array.from({ length: 30 }, (_, i) => msg(`m${i}`, 'inbound'));
    const { references } = replyThreading(long);
    expect(references).toHaveLength(20);
    expect(references[0]).toBe('m0');
    expect(references[19]).toBe('m29');
  });
});
