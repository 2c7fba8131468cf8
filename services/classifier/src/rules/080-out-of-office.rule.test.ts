import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { fixture, mail, text } from '../../test/mail';
import { outOfOffice } from './080-out-of-office.rule';

describe('080 out-of-office', () => {
  it.each(['vacation-rfc3834.eml', 'ooo-outlook.eml'])('recognises %s', async (name) => {
    const { msg, body } = await fixture(name);
    expect(outOfOffice(msg, body)?.kind).toBe(MailKind.OUT_OF_OFFICE);
  });

  it.each([
    ['Outlook, English', 'Subject: Automatic reply: Your order\nX-Auto-Response-Suppress: All', ''],
    ['Outlook, French', 'Subject: Réponse automatique : Votre commande\nAuto-Submitted: auto-replied', ''],
    ['Outlook, Spanish', 'Subject: Respuesta automática: Su pedido\nX-Auto-Response-Suppress: All', ''],
    ['Outlook, Italian', 'Subject: Risposta automatica: Ordine\nX-Auto-Response-Suppress: All', ''],
    ['Outlook, Dutch', 'Subject: Automatisch antwoord: Uw bestelling\nX-Auto-Response-Suppress: All', ''],
    ['Outlook, Swedish', 'Subject: Autosvar: Er beställning\nX-Auto-Response-Suppress: All', ''],
    ['Sieve vacation "Auto:"', 'Subject: Auto: Your order\nAuto-Submitted: auto-replied (vacation)', ''],
    ['German absence body', 'Subject: Re: Ihre Bestellung\nAuto-Submitted: auto-replied', 'Ich bin bis zum 20.01. nicht im Büro.'],
    ['Polish absence body', 'Subject: Re: Zamówienie\nX-Autoreply: yes', 'Jestem na urlopie do 20 stycznia.'],
    ['vacation(1) with only Precedence: bulk', 'Subject: away from my mail\nPrecedence: bulk', "I'm on vacation until Monday."],
    ['OOF prefix alone (no headers)', 'Subject: Out of Office: Your order', ''],
  ])('%s', (_name, headers, body) => {
    expect(outOfOffice(mail({ headers }), text(body))?.kind).toBe(MailKind.OUT_OF_OFFICE);
  });

  it.each([
    ['a person saying they will be back', 'Subject: Re: Invoice', 'I will be back at my desk on Monday and pay then.'],
    ['a person asking about office hours', 'Subject: Are you out of office next week?', ''],
    ['"Auto:" from a person (car topic)', 'Subject: Auto: brake noise', ''],
    ['an auto-reply without absence wording', 'Subject: We received your request\nAuto-Submitted: auto-replied', 'Ticket 123 created.'],
    // The list wrote Precedence: bulk and List-Id; the person wrote "out of the country".
    ['a person telling a list they are away', 'Subject: serial port problem\nPrecedence: bulk\nList-Id: Linux users <users.lists.example.org>', "I'm currently out of the country with my laptop."],
    ['a person on a Majordomo list quoting an absence note', 'Subject: Re: Dermot is out of the office.\nPrecedence: bulk\nSender: owner-social@example.org', '> I will be out of the office until Tuesday.'],
    ['absence wording only in quoted text far below', 'Subject: Re: hi\nAuto-Submitted: auto-generated', `${'x\n'.repeat(1200)}> I am out of the office`],
  ])('leaves %s alone', (_name, headers, body) => {
    expect(outOfOffice(mail({ headers }), text(body))).toBeUndefined();
  });
});
