import { describe, expect, it } from 'vitest';
import { MailKind } from '@postroom/contracts';
import { fixture, mail, text } from '../../test/mail';
import { providerNotification } from './040-provider-notification.rule';

const sns = (message: object) => JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: JSON.stringify(message) });

describe('040 provider-notification (Amazon SES)', () => {
  it('reads a bounce notification: recipients, status, permanence, original Message-ID', async () => {
    const { msg, body } = await fixture('corpus/bounce/amazon-ses-sns-json.eml');
    const v = providerNotification(msg, body);
    expect(v?.kind).toBe(MailKind.BOUNCE);
    expect(v?.bounce).toMatchObject({
      recipients: ['bounce.target@example.net'],
      status: '5.1.1',
      permanent: true,
      originalMessageId: '20250122083000.ses002@example.com',
      reportingMta: 'a27-23.smtp-out.eu-west-1.amazonses.com',
    });
  });

  it('unwraps the SNS envelope and reads a transient bounce', () => {
    const body = sns({ notificationType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'Full@Example.org', status: '4.2.2' }] }, mail: { commonHeaders: { messageId: '<m1@example.com>' } } });
    const v = providerNotification(mail({}), text(body));
    expect(v?.bounce).toMatchObject({ recipients: ['full@example.org'], permanent: false, originalMessageId: 'm1@example.com' });
  });

  it('makes complaints feedback reports and deliveries automatic mail', async () => {
    const { msg, body } = await fixture('corpus/feedback/amazon-ses-complaint.eml');
    expect(providerNotification(msg, body)?.kind).toBe(MailKind.FEEDBACK_REPORT);
    expect(providerNotification(mail({}), text(sns({ notificationType: 'Delivery' })))?.kind).toBe(MailKind.AUTO_REPLY);
  });

  it.each([
    ['plain text', 'Hello, my order is late.'],
    ['JSON far down the body', `${'x'.repeat(300)}{"notificationType":"Bounce"}`],
    ['broken JSON', '{"notificationType":"Bounce", '],
    ['unrelated JSON', '{"order": 12}'],
  ])('has no evidence in %s', (_name, body) => {
    expect(providerNotification(mail({}), text(body))).toBeUndefined();
  });
});
