import { describe, expect, it } from 'vitest';
import { ticketTagPattern } from '@postroom/db';
import { checkTagSender, ticketSubject } from './subject-tag';

const ticket = { participants: ['alice@customer.test', 'bob@customer.test'], requesterAddress: 'alice@customer.test' };

describe('subject tags', () => {
  it('accept a participant and the requester domain, refuse strangers and shared freemail domains', () => {
    expect(checkTagSender('[#7]', 'Bob@Customer.test', ticket).accepted).toBe(true);
    expect(checkTagSender('[#7]', 'carol@customer.test', ticket)).toMatchObject({ accepted: true, detail: expect.stringContaining("requester's domain") });
    expect(checkTagSender('[#7]', 'mallory@evil.test', ticket)).toEqual({
      accepted: false,
      detail: 'subject tag [#7] ignored: mallory@evil.test is not a participant of that ticket',
    });
    const gmail = { participants: ['alice@gmail.com'], requesterAddress: 'alice@gmail.com' };
    expect(checkTagSender('[#7]', 'stranger@gmail.com', gmail).accepted).toBe(false);
    expect(checkTagSender('[#7]', undefined, ticket).accepted).toBe(false);
  });

  it('derive a ticket subject without reply prefixes or tags', () => {
    const tags = ticketTagPattern('[#{number}]');
    expect(ticketSubject('Re: AW: Fwd: Invoice [#12] missing', tags)).toBe('Invoice missing');
    expect(ticketSubject('RE[2]: Hello', tags)).toBe('Hello');
    expect(ticketSubject('  ', tags)).toBe('(no subject)');
    expect(ticketSubject('Tickets #12 and [Ticket#13]', ticketTagPattern('[Ticket#{number}]'))).toBe('Tickets #12 and');
  });
});
