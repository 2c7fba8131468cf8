import { describe, expect, it } from 'vitest';
import { readBounceText } from './bounce-text';

const read = (text: string, exclude: string[] = []) => readBounceText(text, [], new Set(exclude));

describe('readBounceText', () => {
  it('takes every recipient from Sendmail error lines, not only the one with a RCPT TO transcript', () => {
    const text = [
      '   ----- Transcript of session follows -----',
      '554 <a.one@example.edu>... Remote protocol error',
      '554 <b.two@example.org>... 550 Host unknown',
      'While talking to mx.example.co.jp:',
      '>>> RCPT To:<c.three@example.co.jp>',
      '<<< 550 No such user here',
      '550 <c.three@example.co.jp>... User unknown',
      '',
      '   ----- Unsent message follows -----',
      'To: someone.else@example.org',
    ].join('\n');
    expect(read(text).recipients).toEqual(['a.one@example.edu', 'b.two@example.org', 'c.three@example.co.jp']);
  });

  it('reads RFC 3464 fields that reached the text, failed and delayed groups only', () => {
    const text = [
      'Reporting-MTA: dns; mx.example.edu',
      '',
      'Final-Recipient: RFC822; gone@example.edu',
      'Action: failed',
      'Status: 5.5.0',
      '',
      'Final-Recipient: RFC822; fine@example.edu',
      'Action: delivered',
      'Status: 2.0.0',
    ].join('\n');
    expect(read(text)).toMatchObject({ recipients: ['gone@example.edu'], status: '5.5.0', permanent: true });
  });

  it('does not take a Message-ID or a queue id for a recipient', () => {
    const text = [
      'This message was created automatically by mail delivery software.',
      'A message that you sent could not be delivered: the following address failed:',
      '  nobody@example.org',
      'Message-ID: <20250101.ab12cd@mx.example.com>',
      'Received: from mx.example.com by relay.example.net with SMTP id <1735.q7@relay.example.net>',
    ].join('\n');
    expect(read(text).recipients).toEqual(['nobody@example.org']);
  });

  it("falls back to the returned original's To when the notice names no one", () => {
    const text = [
      '   ----- Transcript of session follows -----',
      '421 example.com (smtp)... Deferred: Connection timed out',
      '',
      '   ----- Unsent message follows -----',
      'From: agent@example.co.jp',
      'To: customer@example.com',
      'Subject: Your order',
      '',
      'Hello',
    ].join('\n');
    expect(read(text)).toMatchObject({ recipients: ['customer@example.com'], permanent: false });
  });

  it('reads the failing code of a transcript, not the 250 before it', () => {
    const text = 'In:  RCPT TO:<a@example.com>\nOut: 250 2.1.5 Ok\nIn:  DATA\nOut: 550 5.7.1 Message rejected';
    expect(read(text)).toMatchObject({ recipients: ['a@example.com'], status: '5.7.1', permanent: true });
  });
});
