import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent, runStage, type StageRunner } from '@postroom/bus';
import { MailClassifiedSchema, TicketCreatedSchema, fromBinary, type MailClassified } from '@postroom/contracts';
import { createTestEnv, waitFor, type TestEnv } from '@postroom/testing';
import { createHandler } from '../src/handler';
import { classified, createWorld, type World } from './world';

let env: TestEnv;
let world: World;
let runner: StageRunner;

beforeAll(async () => {
  env = await createTestEnv();
  world = await createWorld(env);
  runner = runStage(env.bus, {
    stage: 'ticketer',
    input: MailClassifiedSchema,
    handle: createHandler({ db: env.ds, blobs: world.blobs, subjects: env.bus.subjects }),
    tenantOf: (e) => e.parsed?.mail?.tenantId ?? '',
    mailIdOf: (e) => e.parsed?.mail?.mailId,
    logger: env.logger,
  });
});
afterAll(async () => {
  await runner?.stop();
  await env?.cleanup();
});

const publish = (event: MailClassified, msgId: string) =>
  publishEvent(env.bus, { subject: env.bus.subjects.mailClassified, schema: MailClassifiedSchema, event, msgId }, { tenantId: world.tenantId });

const ticketStream = () => env.bus.jsm.streams.info(env.bus.subjects.stream('TICKET'));

describe('ticketer stage on JetStream', () => {
  it('publishes ticket events after the commit, and a redelivered mail adds nothing', async () => {
    const mail = await classified(world, { messageId: 'stage-1@customer.test' });
    await publish(mail, `classified:${mail.parsed!.mail!.mailId}`);
    await waitFor('two ticket events', async () => (await ticketStream()).state.messages === 2);

    const created = (await env.bus.jsm.streams.getMessage(env.bus.subjects.stream('TICKET'), { last_by_subj: env.bus.subjects.ticketCreated }))!;
    const event = fromBinary(TicketCreatedSchema, created.data);
    expect(created.header.get('Nats-Msg-Id')).toBe(`ticket-created:${event.ticket!.ticketId}`);
    const [row] = await env.ds.query(`SELECT number::int AS number FROM tickets WHERE id = $1`, [event.ticket!.ticketId]);
    expect(BigInt(row.number)).toBe(event.ticket!.number);

    // The same email again (a replay with a new msgId): the stage acks it, the DB stays at one
    // message, and JetStream drops the republished events as duplicates of the first ones.
    await publish(mail, 'replay:1');
    const consumer = env.bus.subjects.stream('MAIL');
    await waitFor('the replay to be acked', async () => {
      const info = await env.bus.jsm.consumers.info(consumer, 'ticketer');
      return info.num_ack_pending === 0 && info.num_pending === 0 && info.delivered.stream_seq >= 2;
    });
    const [{ n }] = await env.ds.query(`SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1`, [world.tenantId]);
    expect(n).toBe(1);
    expect((await ticketStream()).state.messages).toBe(2);
  });
});
