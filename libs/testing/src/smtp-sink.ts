/**
 * A real SMTP server (`smtp-server`) on loopback that receives what the
 * sender sends, so tests assert on the bytes a customer's provider would see.
 * Authentication is optional and any credentials are accepted (recorded, so a
 * test can check that the mailbox's credentials were used). `respondWith`
 * lets a test answer a message with a 4xx/5xx reply instead of 250 (RFC 5321
 * §4.2), e.g. "452 then 250" to exercise the sender's retry path.
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The DATA bytes exactly as received (CRLF line ends, dot-unstuffed). */
  raw: Buffer;
  /** The username the client authenticated as, if it did. */
  user?: string;
  /** The raw bytes as text, for header assertions. */
  text: string;
}

/** A reply for one message: an SMTP code (4xx/5xx rejects it) and its text. */
export interface SinkReply {
  code: number;
  message?: string;
}

/** Decides the reply for a message; `undefined` accepts it with 250. */
export type SinkResponder = (mail: ReceivedMail, attempt: number) => SinkReply | undefined;

export interface SmtpSink {
  host: string;
  port: number;
  /** Messages accepted with 250, in order. */
  messages: ReceivedMail[];
  /** Every DATA the sink saw, accepted or rejected. */
  attempts: ReceivedMail[];
  /** Replace the responder (default: accept everything). */
  respondWith(fn: SinkResponder): void;
  /** Reject the next `count` messages with `code`, then accept again. */
  rejectNext(count: number, code: number, message?: string): void;
  /** Resolves when `count` messages have been accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Fixed port; default a free one. */
  port?: number;
}

/** Starts an SMTP sink on 127.0.0.1 (plain text, no STARTTLS, AUTH optional). */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const attempts: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  let responder: SinkResponder = () => undefined;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const mail: ReceivedMail = {
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          raw,
          text: raw.toString('utf8'),
          user: typeof session.user === 'string' ? session.user : undefined,
        };
        attempts.push(mail);
        const reply = responder(mail, attempts.length);
        if (reply && reply.code >= 400) {
          const err = Object.assign(new Error(reply.message ?? 'rejected by test'), { responseCode: reply.code });
          callback(err);
          return;
        }
        messages.push(mail);
        waiters.splice(0).forEach((wake) => wake());
        callback(null, 'Ok: queued by postroom sink');
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  const waitFor = async (count: number, timeoutMs = 20_000): Promise<ReceivedMail[]> => {
    const deadline = Date.now() + timeoutMs;
    while (messages.length < count) {
      if (Date.now() > deadline) throw new Error(`SMTP sink: ${messages.length}/${count} messages after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return messages.slice(0, count);
  };

  return {
    host: '127.0.0.1',
    port,
    messages,
    attempts,
    respondWith(fn) {
      responder = fn;
    },
    rejectNext(count, code, message) {
      let left = count;
      responder = () => (left-- > 0 ? { code, message: message ?? `test rejects with ${code}` } : undefined);
    },
    waitFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
