/**
 * The other two RFC 6522 report types Postroom reads: read receipts
 * (RFC 8098 message/disposition-notification) and abuse/feedback reports
 * (RFC 5965 message/feedback-report, "ARF").
 */
import { fieldValue, headerValues, parseFieldGroups } from './header-fields';
import { stripAddressType } from './delivery-status';
import { normalizeMessageId } from './message-id';

export interface DispositionNotification {
  /** e.g. `manual-action/MDN-sent-manually; displayed` → `displayed` (RFC 8098 §3.2.6). */
  disposition: string;
  finalRecipient: string;
  /** Original-Message-ID without brackets, '' when absent (§3.2.5). */
  originalMessageId: string;
  reportingUa: string;
}

export function parseDispositionNotification(text: string): DispositionNotification {
  const fields = parseFieldGroups(text).flat();
  const disposition = (fieldValue(fields, 'disposition') ?? '').split(';')[1]?.trim().split('/')[0].toLowerCase() ?? '';
  return {
    disposition,
    finalRecipient: stripAddressType(fieldValue(fields, 'final-recipient') ?? fieldValue(fields, 'original-recipient')),
    originalMessageId: normalizeMessageId(fieldValue(fields, 'original-message-id')) ?? '',
    reportingUa: (fieldValue(fields, 'reporting-ua') ?? '').split(';')[0].trim(),
  };
}

export interface FeedbackReport {
  /** abuse | fraud | virus | other | not-spam | auth-failure (RFC 5965 §7.3), lower-cased. */
  feedbackType: string;
  userAgent: string;
  originalMailFrom: string;
  originalRcptTo: string[];
  reportedDomain: string;
  sourceIp: string;
}

export function parseFeedbackReport(text: string): FeedbackReport {
  const fields = parseFieldGroups(text).flat();
  return {
    feedbackType: (fieldValue(fields, 'feedback-type') ?? '').trim().toLowerCase(),
    userAgent: fieldValue(fields, 'user-agent') ?? '',
    originalMailFrom: stripAddressType(fieldValue(fields, 'original-mail-from')),
    originalRcptTo: headerValues(fields, 'original-rcpt-to').map(stripAddressType).filter((a) => a !== ''),
    reportedDomain: fieldValue(fields, 'reported-domain') ?? '',
    sourceIp: fieldValue(fields, 'source-ip') ?? '',
  };
}
