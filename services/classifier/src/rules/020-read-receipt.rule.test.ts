import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { mail, text } from '../../test/mail';
import { readReceipt } from './020-read-receipt.rule';

describe('020 read-receipt', () => {
  it('reads an RFC 8098 disposition notification', () => {
    const msg = mail({
      headers: 'Subject: Read: Your ticket\nContent-Type: multipart/report; report-type=disposition-notification',
      reportParts: [
        {
          contentType: 'message/disposition-notification',
          text: 'Reporting-UA: mail.example.net; Thunderbird\nFinal-Recipient: rfc822; anna@example.net\nOriginal-Message-ID: <out-7@example.com>\nDisposition: manual-action/MDN-sent-manually; displayed',
        },
      ],
    });
    const v = readReceipt(msg, text());
    expect(v?.kind).toBe(MailKind.READ_RECEIPT);
    expect(v?.bounce).toMatchObject({ recipients: ['anna@example.net'], originalMessageId: 'out-7@example.com', diagnostic: 'displayed' });
  });

  it.each([
    ['German client receipt with body wording', 'Subject: Gelesen: Angebot\nFrom: a@example.net', 'Ihre Nachricht wurde am 14.01.2025 10:00 gelesen.', true],
    ['English receipt from the null sender', 'Subject: Read: Offer\nReturn-Path: <>', '', true],
    ['a person writing "Read: …" without receipt wording', 'Subject: Read: the manual first\nReturn-Path: <a@example.net>', 'Please read it.', false],
    ['an ordinary mail', 'Subject: Hello', 'the message was read on Monday', false],
  ])('%s', (_name, headers, body, expected) => {
    expect(readReceipt(mail({ headers }), text(body))?.kind === MailKind.READ_RECEIPT).toBe(expected);
  });
});
