import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCommand, type CommandServer } from '@postroom/bus';
import { create, CreateReplyRequestSchema, CreateReplyResponseSchema, type CreateReplyRequest } from '@postroom/contracts';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { callReplyCommand, ReplyCommandError } from './reply-via-nats';

const TENANT = '5b0d3c9e-8f51-4a52-9a55-0c1f7f1f0a01';
let env: TestEnv;
let server: CommandServer;
const received: CreateReplyRequest[] = [];

/** Answers the way the ticketer does: an id for ticket 7, TICKET_NOT_FOUND for any other. */
beforeAll(async () => {
  env = await createTestEnv({ topology: false });
  server = serveCommand(env.bus, {
    subject: env.bus.subjects.ticketCommandReply,
    request: CreateReplyRequestSchema,
    response: CreateReplyResponseSchema,
    queue: 'ticketer',
    logger: env.logger,
    handle: async (req) => {
      received.push(req);
      return req.ticketNumber === 7n
        ? create(CreateReplyResponseSchema, { messageId: 'row-1', messageIdHeader: 'abc@acme.test' })
        : create(CreateReplyResponseSchema, { errorCode: 'TICKET_NOT_FOUND', error: `ticket #${req.ticketNumber} not found` });
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await env?.cleanup();
});

describe('callReplyCommand', () => {
  it('sends the reply fields and returns the queued message id', async () => {
    const queued = await callReplyCommand(env.bus, { tenantId: TENANT, ticketNumber: 7, text: 'Hi', html: '<p>Hi</p>', cc: ['b@x.test'] });
    expect(queued).toEqual({ messageId: 'row-1', messageIdHeader: 'abc@acme.test' });
    expect(received.at(-1)).toMatchObject({ tenantId: TENANT, ticketNumber: 7n, text: 'Hi', html: '<p>Hi</p>', cc: ['b@x.test'] });
  });

  it('throws ReplyCommandError with the error code the ticketer answered', async () => {
    const err = await callReplyCommand(env.bus, { tenantId: TENANT, ticketNumber: 8, text: 'Hi' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyCommandError);
    expect(err).toMatchObject({ code: 'TICKET_NOT_FOUND', message: 'TICKET_NOT_FOUND: ticket #8 not found' });
  });
});
