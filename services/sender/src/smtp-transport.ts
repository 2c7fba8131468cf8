/**
 * The only file that imports nodemailer: sends one OutgoingMail over SMTP
 * with the mailbox's server settings and credentials. One connection per
 * message keeps credentials per mailbox simple; timeouts are bounded so a
 * hung server fails the attempt well inside the stage's handler deadline.
 */
import { createTransport } from 'nodemailer';
import type { MailTransport, OutgoingMail, SendResult, SmtpAuth, SmtpServer } from './ports';

export interface SmtpTransportOptions {
  /** Connection, greeting and socket timeout each (default 30 s; the stage deadline is 45 s). */
  timeoutMs?: number;
  /** Verify the server's certificate (default true; false only for self-signed test servers). */
  rejectUnauthorized?: boolean;
}

function authOf(auth: SmtpAuth | undefined) {
  if (!auth) return undefined;
  if (auth.accessToken) return { type: 'OAuth2' as const, user: auth.user, accessToken: auth.accessToken };
  return { user: auth.user, pass: auth.password ?? '' };
}

export function createSmtpTransport(opts: SmtpTransportOptions = {}): MailTransport {
  const timeout = opts.timeoutMs ?? 30_000;
  return {
    async send(server: SmtpServer, auth: SmtpAuth | undefined, mail: OutgoingMail): Promise<SendResult> {
      const transport = createTransport({
        host: server.host,
        port: server.port,
        secure: server.secure,
        auth: authOf(auth),
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        tls: { rejectUnauthorized: opts.rejectUnauthorized ?? true },
        // The message is built from our rows only: never let a path or URL pull in local files or remote content.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: mail.to,
          cc: mail.cc,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo,
          references: mail.references,
          headers: mail.headers,
          attachments: mail.attachments,
        });
        return { response: String(info.response ?? '') };
      } finally {
        transport.close();
      }
    },
    async close() {},
  };
}
