/**
 * Issue 4's suppression list end to end, with the seven services as their
 * own processes: an agent reply goes out over SMTP, the customer's MTA
 * returns an RFC 3464 bounce into the IMAP mailbox, the classifier reads it,
 * the ticketer links it to our reply and suppresses the address, and the
 * next reply leaves that address out.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getMessage, listSuppressions, listTicketMessages, listTickets } from '@postroom/db';
import { appendMail } from '../src/imap';
import { waitFor } from '../src/wait-for';
import { runCli, startE2E, type E2E } from './e2e-harness';
import { customerMail } from './mails';

const dovecot = inject('dovecot');
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E(dovecot);
}, 180_000);
afterAll(async () => {
  await e2e?.stop();
});

/** What Postfix returns for an unknown mailbox (RFC 3464, RFC 6522 multipart/report). */
function postfixBounce(to: string, failed: string, originalMessageId: string): string {
  return [
    'From: MAILER-DAEMON@mx.customer.example (Mail Delivery System)',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${new Date().toUTCString()}`,
    'Message-ID: <bounce-1@mx.customer.example>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I\'m sorry to have to inform you that your message could not be delivered.',
    `<${failed}>: host mx.customer.example said: 550 5.1.1 User unknown`,
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.customer.example',
    '',
    `Final-Recipient: rfc822; ${failed}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    `From: E2E Support <${to}>`,
    `To: ${failed}`,
    `Message-ID: <${originalMessageId}>`,
    'Subject: Re: Broken teapot',
    '--b1--',
    '',
  ].join('\r\n');
}

describe('a hard bounce of our reply, end to end', () => {
  it('suppresses the bounced address and the next reply leaves it out', async () => {
    await appendMail(dovecot, e2e.imap, customerMail('suppress-1@customer.example', e2e.mailbox.address));
    const ticket = await waitFor('the ticket', async () => (await listTickets(e2e.env.ds.manager, e2e.tenantId))[0], 60_000);
    const reply = (text: string) => runCli(e2e, ['reply', String(ticket.number), '--text', text, '--tenant', e2e.tenantSlug]);
    expect(reply('First answer').status).toBe(0);
    const [first] = await e2e.sink.waitFor(1, 60_000);
    expect(first.envelope.to.sort()).toEqual(['ada@customer.example', 'grace@customer.example']);
    const ours = /^Message-ID: <([^>]+)>/m.exec(first.text)![1];

    await appendMail(dovecot, e2e.imap, postfixBounce(e2e.mailbox.address, 'ada@customer.example', ours));
    const [entry] = await waitFor('a suppression', async () => {
      const rows = await listSuppressions(e2e.env.ds, e2e.tenantId);
      return rows.length > 0 ? rows : undefined;
    }, 60_000);
    expect(entry).toMatchObject({ address: 'ada@customer.example', statusCode: '5.1.1' });
    expect((await getMessage(e2e.env.ds, e2e.tenantId, entry.bouncedMessageId!))!.messageIdHeader).toBe(ours);
    const list = runCli(e2e, ['suppressions', 'list', '--tenant', e2e.tenantSlug]);
    expect(list.stdout).toContain('ada@customer.example  5.1.1');

    expect(reply('Second answer').status).toBe(0);
    const [, second] = await e2e.sink.waitFor(2, 60_000);
    expect(second.envelope.to).toEqual(['grace@customer.example']);
    const row = await waitFor('the second reply sent', async () =>
      (await listTicketMessages(e2e.env.ds.manager, e2e.tenantId, ticket.id)).find((m) => m.sendStatus === 'sent' && m.textBody === 'Second answer'));
    expect(row.sendError).toContain('not sent to suppressed recipients: ada@customer.example');
  }, 240_000);
});
