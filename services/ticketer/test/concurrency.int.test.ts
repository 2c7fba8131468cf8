import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DataSource } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { classified, createWorld, type World } from './world';

let env: TestEnv;
let world: World;
let second: DataSource;

beforeAll(async () => {
  env = await createTestEnv();
  world = await createWorld(env);
  // A second connection pool stands in for a second ticketer process.
  second = await openDatabase(env.databaseUrl, { poolSize: 5 });
});
afterAll(async () => {
  await second?.destroy();
  await env?.cleanup();
});

describe('ticketer under concurrency', () => {
  it('files twenty replies of one new conversation, handled at once by two ticketers, on one ticket', async () => {
    const a = createHandler({ db: env.ds, blobs: world.blobs, subjects: env.bus.subjects });
    const b = createHandler({ db: second, blobs: world.blobs, subjects: env.bus.subjects });
    const root = 'root@customer.test';
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        classified(world, { messageId: `reply-${i}@customer.test`, inReplyTo: [root], references: [root], subject: 'Re: Printer on fire' }),
      ),
    );
    const emits = await Promise.all(replies.map((mail, i) => (i % 2 === 0 ? a : b)(mail)));
    const rows = await env.ds.query(
      `SELECT count(*)::int AS messages, count(DISTINCT ticket_id)::int AS tickets, count(ticket_id)::int AS linked
         FROM messages WHERE tenant_id = $1`,
      [world.tenantId],
    );
    expect(rows[0]).toEqual({ messages: 20, tickets: 1, linked: 20 });
    expect(emits.flat().filter((e) => e.msgId.startsWith('ticket-created:'))).toHaveLength(1);
    const [{ n }] = await env.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE tenant_id = $1`, [world.tenantId]);
    expect(n).toBe(1);

    // The original, arriving last, joins the ticket its replies founded.
    const original = await a(await classified(world, { messageId: root }));
    expect(original.map((e) => e.msgId.split(':')[0])).toEqual(['message-added']);
  });
});
