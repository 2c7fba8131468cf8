/**
 * Command subjects must stay outside every stream: JetStream answers a
 * request published on a subject a stream captures with its PubAck, so the
 * requester would read a PubAck as the command's response and the stream
 * would keep every request.
 */
import { describe, expect, it } from 'vitest';
import { STREAM_NAMES, subjects } from './index';

/** NATS subject matching: `*` is one token, `>` one or more trailing tokens. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

describe('command subjects', () => {
  it('matches wildcards the way NATS does', () => {
    expect(matches('ticket.v1.>', 'ticket.v1.cmd.reply')).toBe(true);
    expect(matches('ticket.*.created', 'ticket.v1.created')).toBe(true);
    expect(matches('ticket.v1.>', 'ticket.v1')).toBe(false);
  });

  it.each(['', 'run7'])('are captured by no stream (namespace "%s")', (namespace) => {
    const s = subjects(namespace);
    expect(s.ticketCommandReply).toBe(namespace ? `${namespace}.cmd.v1.ticket.reply` : 'cmd.v1.ticket.reply');
    for (const stream of STREAM_NAMES) {
      for (const pattern of s.streamSubjects(stream)) expect(matches(pattern, s.ticketCommandReply), `${stream} ${pattern}`).toBe(false);
    }
  });
});
