/**
 * Amazon SES event notifications delivered as mail (an SNS topic with an
 * email subscription): the body is the JSON document SES documents under
 * "Contents of notifications for Amazon SES" — notificationType Bounce,
 * Complaint or Delivery, with the recipients, status, diagnostic and the
 * original message's headers.
 */
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { isPermanentStatus, normalizeMessageId } from '@postroom/mail';
import { bounceReport, reason, verdict, type MailText } from '../verdict';

const RULE = 'provider-notification';

interface SesRecipient { emailAddress?: string; status?: string; diagnosticCode?: string }
interface SesNotification {
  notificationType?: string;
  bounce?: { bounceType?: string; bouncedRecipients?: SesRecipient[]; reportingMTA?: string };
  complaint?: { complainedRecipients?: SesRecipient[]; complaintFeedbackType?: string };
  mail?: { messageId?: string; headers?: { name?: string; value?: string }[]; commonHeaders?: { messageId?: string } };
}

/**
 * The notification in the body: either SES's document itself (SNS "raw
 * message delivery") or the SNS envelope whose "Message" string holds it.
 */
function sesJson(text: string): SesNotification | undefined {
  const start = text.indexOf('{');
  if (start < 0 || start > 200) return undefined;
  const doc = parseJson(text.slice(start, text.lastIndexOf('}') + 1));
  if (typeof doc?.Message === 'string') return parseJson(doc.Message) as SesNotification | undefined;
  return typeof doc?.notificationType === 'string' ? (doc as SesNotification) : undefined;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    // Real notifications carry raw tabs inside strings, which JSON forbids.
    // eslint-disable-next-line no-control-regex
    const value: unknown = JSON.parse(text.replace(/[\u0000-\u001f]+/g, ' '));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The original mail's RFC 5322 Message-ID (SES's own mail.messageId is not one). */
function originalId(n: SesNotification): string {
  const header = n.mail?.headers?.find((h) => h.name?.toLowerCase() === 'message-id')?.value;
  return normalizeMessageId(header ?? n.mail?.commonHeaders?.messageId) ?? '';
}

const addresses = (list: SesRecipient[] | undefined) => (list ?? []).map((r) => (r.emailAddress ?? '').toLowerCase()).filter((a) => a !== '');

export function providerNotification(_msg: MailParsed, body: MailText): Verdict | undefined {
  const n = sesJson(body.text);
  if (!n?.notificationType) return undefined;
  const type = n.notificationType.toLowerCase();
  if (type === 'bounce') {
    const first = n.bounce?.bouncedRecipients?.[0] ?? {};
    const status = first.status ?? '';
    const report = bounceReport({
      recipients: addresses(n.bounce?.bouncedRecipients),
      status,
      permanent: n.bounce?.bounceType === 'Permanent' || (status !== '' && isPermanentStatus(status)),
      diagnostic: first.diagnosticCode ?? '',
      originalMessageId: originalId(n),
      reportingMta: (n.bounce?.reportingMTA ?? '').replace(/^dsn;\s*/i, ''),
    });
    return verdict(MailKind.BOUNCE, 0.97, [reason(RULE, `Amazon SES bounce notification (${n.bounce?.bounceType ?? 'unknown type'})`, 'body')], report);
  }
  if (type === 'complaint') {
    const report = bounceReport({ recipients: addresses(n.complaint?.complainedRecipients), status: '', permanent: false, diagnostic: n.complaint?.complaintFeedbackType ?? '', originalMessageId: originalId(n) });
    return verdict(MailKind.FEEDBACK_REPORT, 0.97, [reason(RULE, 'Amazon SES complaint notification', 'body')], report);
  }
  return verdict(MailKind.AUTO_REPLY, 0.9, [reason(RULE, `Amazon SES ${type} notification`, 'body')]);
}
