/**
 * RFC 3464 delivery status notifications: the machine-readable
 * message/delivery-status part (and RFC 6533's message/global-delivery-status,
 * which has the same syntax in UTF-8), with RFC 3463 enhanced status codes.
 */
import { fieldValue, parseFieldGroups, type HeaderField } from './header-fields';

/** One per-recipient group of a delivery-status part (RFC 3464 §2.3). */
export interface DsnRecipient {
  /** Final-Recipient's address (Original-Recipient when Final is absent), lower-cased. */
  recipient: string;
  /** failed | delayed | delivered | relayed | expanded (§2.3.3), lower-cased. */
  action: string;
  /** Enhanced status code x.y.z (RFC 3463), '' when absent or malformed. */
  status: string;
  /** Diagnostic-Code without its type prefix (`smtp; 550 …` → `550 …`). */
  diagnostic: string;
  remoteMta: string;
}

export interface DeliveryStatus {
  reportingMta: string;
  recipients: DsnRecipient[];
}

/** RFC 3463 §2: class.subject.detail, class 2, 4 or 5. */
const STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** The first enhanced status code in a text, '' when none. */
export function findStatusCode(text: string): string {
  const m = STATUS.exec(text);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : '';
}

/** RFC 3463: class 5 is a permanent failure, 4 a persistent transient one. */
export function isPermanentStatus(status: string): boolean {
  return status.startsWith('5.');
}

/** `rfc822; Foo@Example.net` → `foo@example.net` (RFC 3464 §2.3.2 address-type; value). */
export function stripAddressType(value: string | undefined): string {
  if (!value) return '';
  const semi = value.indexOf(';');
  const address = (semi >= 0 ? value.slice(semi + 1) : value).trim();
  return address.replace(/^<|>$/g, '').toLowerCase();
}

/** `smtp; 550 5.1.1 …` → `550 5.1.1 …`, whitespace collapsed. */
export function stripDiagnosticType(value: string | undefined): string {
  if (!value) return '';
  const m = /^\s*[A-Za-z][\w-]*\s*;\s*([\s\S]*)$/.exec(value);
  return (m ? m[1] : value).replace(/\s+/g, ' ').trim();
}

function toRecipient(fields: readonly HeaderField[]): DsnRecipient | undefined {
  const recipient = stripAddressType(fieldValue(fields, 'final-recipient') ?? fieldValue(fields, 'original-recipient'));
  if (recipient === '') return undefined;
  const diagnostic = stripDiagnosticType(fieldValue(fields, 'diagnostic-code'));
  const status = findStatusCode(fieldValue(fields, 'status') ?? '') || findStatusCode(diagnostic);
  return {
    recipient,
    action: (fieldValue(fields, 'action') ?? '').trim().toLowerCase(),
    status,
    diagnostic,
    remoteMta: stripAddressType(fieldValue(fields, 'remote-mta')),
  };
}

/**
 * Parses a delivery-status part. Tolerates the group structure being off
 * (some MTAs omit the blank line after the per-message fields): any group
 * with a Final-Recipient or Original-Recipient is a recipient.
 */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const groups = parseFieldGroups(text);
  const all = groups.flat();
  const recipients = groups.map(toRecipient).filter((r): r is DsnRecipient => r !== undefined);
  return { reportingMta: stripAddressType(fieldValue(all, 'reporting-mta')), recipients };
}
