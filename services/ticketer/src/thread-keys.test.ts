import { describe, expect, it } from 'vitest';
import type { InboundMail } from './inbound-mail';
import { candidateKeys, firstMatch, threadKeysOf } from './thread-keys';

const mail = (over: Partial<InboundMail>): InboundMail =>
  ({ messageId: 'own@x', inReplyTo: [], references: [], providerThreadKey: null, ...over }) as InboundMail;

describe('thread keys', () => {
  it('orders candidates: own id, In-Reply-To, References newest first, provider thread', () => {
    const m = mail({ inReplyTo: ['parent@x'], references: ['root@x', 'mid@x', 'parent@x'], providerThreadKey: 'thread:mb:T1' });
    expect(candidateKeys(m).map((c) => [c.key, c.matchedBy])).toEqual([
      ['own@x', 'REFERENCES'],
      ['parent@x', 'IN_REPLY_TO'],
      ['parent@x', 'REFERENCES'],
      ['mid@x', 'REFERENCES'],
      ['root@x', 'REFERENCES'],
      ['thread:mb:T1', 'PROVIDER_THREAD'],
    ]);
    expect(threadKeysOf(m)).toEqual(['own@x', 'parent@x', 'mid@x', 'root@x', 'thread:mb:T1']);
  });

  it('picks the nearest known ancestor, not the root', () => {
    const m = mail({ references: ['root@x', 'mid@x'] });
    const hit = firstMatch(candidateKeys(m), new Map([['root@x', 'ticket-a'], ['mid@x', 'ticket-b']]));
    expect(hit).toMatchObject({ key: 'mid@x', ticketId: 'ticket-b', matchedBy: 'REFERENCES' });
    expect(firstMatch(candidateKeys(m), new Map())).toBeUndefined();
  });

  it('bounds the keys of a mail with an absurd References header', () => {
    const refs = Array.from({ length: 500 }, (_, i) => `r${i}@x`);
    const keys = threadKeysOf(mail({ references: refs }));
    expect(keys).toHaveLength(101);
    expect(keys[1]).toBe('r499@x');
  });
});
