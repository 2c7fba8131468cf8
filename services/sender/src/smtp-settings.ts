/**
 * The `smtp` part of a mailbox's settings (jsonb), validated here because the
 * sender is its only reader: `{ host, port?, secure? }`. Port defaults to 587
 * (submission, RFC 6409); `secure` (implicit TLS) defaults to true on 465
 * (RFC 8314), otherwise STARTTLS is used when the server offers it.
 */
import { z } from '@postroom/config';
import { TerminalError } from '@postroom/errors';
import type { SmtpServer } from './ports';

const smtpSettingsSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535).default(587),
  secure: z.boolean().optional(),
});

/** The mailbox's SMTP server; TerminalError SMTP_NOT_CONFIGURED when missing or malformed. */
export function parseSmtpSettings(settings: Record<string, unknown>, mailbox: string): SmtpServer {
  const parsed = smtpSettingsSchema.safeParse(settings.smtp);
  if (!parsed.success) {
    const problem = parsed.error.issues.map((i) => `${['smtp', ...i.path].join('.')}: ${i.message}`).join('; ');
    throw new TerminalError('SMTP_NOT_CONFIGURED', `mailbox ${mailbox} has no usable SMTP settings (${problem})`);
  }
  const { host, port, secure } = parsed.data;
  return { host, port, secure: secure ?? port === 465 };
}
