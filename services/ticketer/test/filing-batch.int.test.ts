/**
 * Batched filing against the real PostgreSQL: emails that wait together share
 * one transaction, thread into each other within it, and a failing email
 * sends each of its batch back to be filed alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMailBody } from '@postroom/mail';
import { queryRows } from '@postroom/db';
import { createTestEnv, type TestEnv } from '@postroom/testing';
import { fileMail, lookUpBatch, type Filed } from '../src/file-mail';
import { createFilingBatch, type FileOne } from '../src/filing-batch';
import { toInboundMail, type InboundMail } from '../src/inbound-mail';
import { DEFAULT_POLICY } from '../src/ports';
import { classified, createWorld, type MailSpec, type World } from './world';

let env: TestEnv;
let world: World;

beforeAll(async () => {
  env = await createTestEnv();
  world = await createWorld(env);
});
afterAll(async () => env?.cleanup());

const inbound = async (spec: MailSpec, of: World = world): Promise<InboundMail> => {
  const e = await classified(of, spec);
  return toInboundMail(e, await readMailBody(e.parsed, world.blobs));
};

/** fileMail, noting the transaction each email was filed in. */
function recordingFile(): { file: FileOne; txOf: Map<string, string> } {
  const txOf = new Map<string, string>();
  const file: FileOne = async (q, mail, batch) => {
    const [{ tx }] = await queryRows<{ tx: string }>(q, `SELECT txid_current()::text AS tx`);
    txOf.set(mail.messageId, tx);
    return fileMail(q, mail, DEFAULT_POLICY, new Date(), undefined, batch);
  };
  return { file, txOf };
}

/** One email filed alone while the rest queue behind it: with one transaction at a time they form the next batch. */
async function fileQueued(file: FileOne, mails: InboundMail[]): Promise<PromiseSettledResult<Filed>[]> {
  const submit = createFilingBatch({ db: env.ds, file, lookUp: (q, mails) => lookUpBatch(q, mails, DEFAULT_POLICY), maxConcurrent: 1 });
  return Promise.allSettled(mails.map((m) => submit(m)));
}

describe('filing in batches', () => {
  it('files the emails that queued in one transaction, a reply on the ticket its original opened in the same batch', async () => {
    const { file, txOf } = recordingFile();
    const mails = [
      await inbound({ messageId: 'first@customer.test', subject: 'Printer on fire' }),
      await inbound({ messageId: 'orig@customer.test', subject: 'Invoice missing' }),
      await inbound({ messageId: 'reply@customer.test', subject: 'Re: Invoice missing', inReplyTo: ['orig@customer.test'] }),
      await inbound({ messageId: 'other@customer.test', subject: 'Password reset' }),
      await inbound({ messageId: 'orig@customer.test', subject: 'Invoice missing', mailId: 'same-mail-again' }),
    ];
    const results = await fileQueued(file, mails);
    const filed = results.map((r) => (r as PromiseFulfilledResult<Filed>).value);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(new Set(txOf.values()).size).toBe(2);
    expect(txOf.get('first@customer.test')).not.toBe(txOf.get('orig@customer.test'));
    expect(txOf.get('reply@customer.test')).toBe(txOf.get('orig@customer.test'));
    expect(filed[2].ticket?.id).toBe(filed[1].ticket?.id);
    expect(filed[2].created).toBe(false);
    expect(filed.map((f) => f.duplicate)).toEqual([false, false, false, false, true]);
    expect(filed[4].message.id).toBe(filed[1].message.id);
    const numbers = filed.filter((f) => f.created && !f.duplicate).map((f) => f.ticket!.number);
    expect(numbers).toEqual([numbers[0], numbers[0] + 1, numbers[0] + 2]);
  });

  it('files each email of a batch alone when one of them fails, so only that one fails', async () => {
    const { file, txOf } = recordingFile();
    const gone = randomUUID();
    const mails = [
      await inbound({ messageId: 'lead@customer.test' }),
      await inbound({ messageId: 'good-1@customer.test' }),
      await inbound({ messageId: 'unknown-mailbox@customer.test', mailboxId: gone }),
      await inbound({ messageId: 'good-2@customer.test' }),
    ];
    const results = await fileQueued(file, mails);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
    // good-1 and good-2 were first tried together with the failing email, then committed each in its own transaction.
    expect(txOf.get('good-1@customer.test')).not.toBe(txOf.get('good-2@customer.test'));
    const rows = await queryRows<{ messageIdHeader: string; n: number }>(
      env.ds,
      `SELECT message_id_header AS "messageIdHeader", count(*)::int AS n FROM messages
        WHERE tenant_id = $1 AND message_id_header = ANY($2) GROUP BY 1 ORDER BY 1`,
      [world.tenantId, ['good-1@customer.test', 'good-2@customer.test', 'lead@customer.test', 'unknown-mailbox@customer.test']],
    );
    expect(rows).toEqual([
      { messageIdHeader: 'good-1@customer.test', n: 1 },
      { messageIdHeader: 'good-2@customer.test', n: 1 },
      { messageIdHeader: 'lead@customer.test', n: 1 },
    ]);
  });

  it('files a batch of two tenants tenant by tenant, and answers each email with its own filing', async () => {
    const other = await createWorld(env);
    const { file, txOf } = recordingFile();
    const mails = [
      await inbound({ messageId: 'lead-2@customer.test' }),
      await inbound({ messageId: 't2-a@customer.test' }, other),
      await inbound({ messageId: 't1-a@customer.test' }),
      await inbound({ messageId: 't2-b@customer.test' }, other),
    ];
    const filed = (await fileQueued(file, mails)).map((r) => (r as PromiseFulfilledResult<Filed>).value);
    expect(filed.map((f) => [f.message.tenantId, f.message.messageIdHeader])).toEqual(mails.map((m) => [m.tenantId, m.messageId]));
    expect(new Set(mails.slice(1).map((m) => txOf.get(m.messageId))).size).toBe(1);
    expect(filed[3].ticket!.number).toBe(filed[1].ticket!.number + 1);
  });
});
