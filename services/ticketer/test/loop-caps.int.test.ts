/**
 * Mail loops (issue 4, item 4): the caps that bound automatic mail when the
 * other side ignores RFC 3834 — a storm of new mails from one address over
 * a day, and an autoresponder that answers every auto-response with a new,
 * header-less mail. Time passes by moving the automatic rows' created_at
 * back, as if they had been sent earlier.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundRequested } from '@postroom/contracts';
import { getMessage } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { DEFAULT_POLICY } from '../src/ports';
import { classified, counts, createWorld, type World } from './world';

let env: TestEnv;
let world: World;
let handle: ReturnType<typeof createHandler>;

beforeAll(async () => {
  env = await createTestEnv();
  world = await createWorld(env, { autoResponse: { enabled: true, text: 'We got your mail ({{ticket_number}}).' } });
  handle = createHandler({ db: env.ds, blobs: world.blobs, subjects: env.bus.subjects, policy: DEFAULT_POLICY });
});
afterAll(async () => env?.cleanup());

const requests = (emits: Awaited<ReturnType<typeof handle>>): OutboundRequested[] =>
  emits.filter((e) => e.msgId.startsWith('outbound-requested:')).map((e) => e.event as OutboundRequested);

/** As if every automatic mail so far had been sent `hours` earlier. */
const passHours = (hours: number) =>
  env.ds.query(`UPDATE messages SET created_at = created_at - make_interval(hours => $2) WHERE tenant_id = $1 AND automatic`, [
    world.tenantId, hours,
  ]);

async function storm(from: string, size: number): Promise<number> {
  const mails = await Promise.all(Array.from({ length: size }, () => classified(world, { messageId: `${randomUUID()}@storm.test`, from })));
  const emits = (await Promise.all(mails.map((m) => handle(m)))).flat();
  expect(emits.filter((e) => e.msgId.startsWith('ticket-created:'))).toHaveLength(size);
  return requests(emits).length;
}

describe('loop caps on auto-responses', () => {
  it('hold 3 an hour and 10 a day for one address under a day-long storm', async () => {
    const sent: number[] = [];
    for (let hour = 0; hour < 10; hour += 2) {
      sent.push(await storm('flood@six.test', 8));
      await passHours(2);
    }
    expect(sent).toEqual([3, 3, 3, 1, 0]);
    await passHours(24);
    expect(await storm('flood@six.test', 8)).toBe(3);
    // Another address is not held back by the first one's caps.
    expect(await storm('calm@six.test', 2)).toBe(2);
  });

  it('stop a ping-pong with an autoresponder that answers every mail with a new, header-less one', async () => {
    const before = await counts(env.ds, world.tenantId);
    let next = await classified(world, { messageId: 'bot-0@seven.test', from: 'bot@seven.test', subject: 'Hello' });
    let rounds = 0;
    let answered = 0;
    while (rounds < 50) {
      rounds += 1;
      const [request] = requests(await handle(next));
      if (!request) break;
      answered += 1;
      // The worst bot: no In-Reply-To, References, Auto-Submitted or subject tag (RFC 3834 ignored), so each answer is a new ticket.
      next = await classified(world, { messageId: `bot-${rounds}@seven.test`, from: 'bot@seven.test', subject: `Confirmation ${rounds}` });
    }
    expect(answered).toBe(3);
    expect(rounds).toBe(4);
    expect((await counts(env.ds, world.tenantId)).tickets - before.tickets).toBe(4);
  });

  it('files an autoresponder\'s threaded answer on its ticket and does not answer it', async () => {
    const [request] = requests(await handle(await classified(world, { messageId: 'polite-0@eight.test', from: 'polite@eight.test' })));
    const ours = await getMessage(env.ds, world.tenantId, request.messageId);
    const reply = await classified(world, {
      messageId: 'polite-1@eight.test', from: 'polite@eight.test', subject: `Re: ${ours!.subject}`, inReplyTo: [ours!.messageIdHeader],
    });
    const emits = await handle(reply);
    expect(emits.map((e) => e.msgId.split(':')[0])).toEqual(['message-added']);
  });

  it('sends nothing on a new ticket when the per-ticket cap is 0', async () => {
    const strict = createHandler({
      db: env.ds, blobs: world.blobs, subjects: env.bus.subjects,
      policy: { ...DEFAULT_POLICY, autoResponse: { ...DEFAULT_POLICY.autoResponse, perTicket: 0 } },
    });
    const emits = await strict(await classified(world, { messageId: 'quiet@nine.test', from: 'quiet@nine.test' }));
    expect(emits.map((e) => e.msgId.split(':')[0])).toEqual(['ticket-created', 'message-added']);
  });
});
