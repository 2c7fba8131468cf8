/**
 * A real SMTP server (`smtp-server`) on loopback that receives what the
 * sender sends, so tests assert on the bytes a customer's provider would see.
 * Authentication is optional and any credentials are accepted (recorded, so a
 * test can check that the mailbox's credentials were used). `respondWith`
 * lets a test answer a message with a 4xx/5xx reply instead of 250 (RFC 5321
 * §4.2), e.g. "452 then 250" to exercise the sender's retry path.
 */
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
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

interface SinkState {
  messages: ReceivedMail[];
  attempts: ReceivedMail[];
  waiters: Array<() => void>;
  responder: SinkResponder;
}

function toReceived(raw: Buffer, session: SMTPServerSession): ReceivedMail {
  return {
    envelope: {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
    },
    raw,
    text: raw.toString('utf8'),
    user: typeof session.user === 'string' ? session.user : undefined,
  };
}

/** Records the message and answers it as the current responder says (RFC 5321 §4.2: 4xx/5xx reject the DATA). */
function createServer(state: SinkState): SMTPServer {
  return new SMTPServer({
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
        const mail = toReceived(Buffer.concat(chunks), session);
        state.attempts.push(mail);
        const reply = state.responder(mail, state.attempts.length);
        if (reply && reply.code >= 400) {
          callback(Object.assign(new Error(reply.message ?? 'rejected by test'), { responseCode: reply.code }));
          return;
        }
        state.messages.push(mail);
        state.waiters.splice(0).forEach((wake) => wake());
        callback(null, 'Ok: queued by postroom sink');
      });
    },
  });
}

async function waitForMessages(state: SinkState, count: number, timeoutMs: number): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  while (state.messages.length < count) {
    if (Date.now() > deadline) throw new Error(`SMTP sink: ${state.messages.length}/${count} messages after ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      state.waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
  return state.messages.slice(0, count);
}

/** Starts an SMTP sink on 127.0.0.1 (plain text, no STARTTLS, AUTH optional). */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const state: SinkState = { messages: [], attempts: [], waiters: [], responder: () => undefined };
  const server = createServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    host: '127.0.0.1',
    port: (server.server.address() as AddressInfo).port,
    messages: state.messages,
    attempts: state.attempts,
    respondWith(fn) {
      state.responder = fn;
    },
    rejectNext(count, code, message) {
      let left = count;
      state.responder = () => (left-- > 0 ? { code, message: message ?? `test rejects with ${code}` } : undefined);
    },
    waitFor: (count, timeoutMs = 20_000) => waitForMessages(state, count, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
