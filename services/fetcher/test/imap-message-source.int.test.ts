/**
 * The IMAP message source against a real Dovecot: messages asked for
 * together come in one UID FETCH with their exact bytes; what the batch's
 * answer lacks (a UID the session has not seen yet) is still fetched alone;
 * a changed UIDVALIDITY fails the batch with its code.
 */
import type { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { appendMail, connectImap, createImapUser, sampleMail, type ImapCredentials } from '@postroom/testing';
import { createImapMessageSource } from '../src/imap-message-source';
import { createImapPool, type ImapPool } from '../src/imap-pool';

const dovecot = inject('dovecot');
const MAX_BYTES = 100_000;
let pool: ImapPool | undefined;

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/** A pool whose connection counts the FETCH commands it sends (every imapflow command goes through run()). */
function countingPool(creds: ImapCredentials) {
  const counter = { fetches: 0 };
  pool = createImapPool({
    idleCloseMs: 5_000,
    open: async () => {
      const client = await connectImap(dovecot, creds);
      const c = client as unknown as { run: (cmd: string, ...args: unknown[]) => Promise<unknown> };
      const run = c.run.bind(client);
      c.run = (cmd, ...args) => {
        if (cmd === 'FETCH') counter.fetches += 1;
        return run(cmd, ...args);
      };
      return client as ImapFlow;
    },
  });
  return { pool, counter };
}

async function appendMany(creds: ImapCredentials, count: number) {
  const mails = [];
  for (let i = 0; i < count; i += 1) {
    const raw = Buffer.from(sampleMail({ subject: `Batch ${i}`, body: `body ${i} ${'x'.repeat(i * 100)}` }));
    mails.push({ raw, ...(await appendMail(dovecot, creds, raw)) });
  }
  return mails;
}

const refOf = (creds: ImapCredentials, m: { uid: number; uidValidity: number }) => ({ tenantId: 't', mailboxId: creds.user, folder: 'INBOX', ...m });

describe('IMAP message source', () => {
  it('fetches the messages asked for together with one UID FETCH, each with its exact bytes', async () => {
    const creds = createImapUser(dovecot, 'batch');
    const mails = await appendMany(creds, 12);
    const { pool, counter } = countingPool(creds);
    const source = createImapMessageSource(pool);
    const got = await Promise.all(mails.map((m) => source.fetchRaw(refOf(creds, m), MAX_BYTES, m.raw.length)));
    got.forEach((bytes, i) => expect(Buffer.from(bytes).equals(mails[i].raw)).toBe(true));
    expect(counter.fetches).toBe(1);
  });

  it('splits at maxBatch', async () => {
    const creds = createImapUser(dovecot, 'split');
    const mails = await appendMany(creds, 12);
    const { pool, counter } = countingPool(creds);
    const source = createImapMessageSource(pool, { maxBatch: 5 });
    const got = await Promise.all(mails.map((m) => source.fetchRaw(refOf(creds, m), MAX_BYTES, m.raw.length)));
    expect(got.map((b) => b.length)).toEqual(mails.map((m) => m.raw.length));
    expect(counter.fetches).toBe(3);
  });

  it('fetches alone, after a NOOP, a message that arrived after the connection selected the folder', async () => {
    const creds = createImapUser(dovecot, 'late');
    const [first] = await appendMany(creds, 1);
    const { pool } = countingPool(creds);
    const source = createImapMessageSource(pool);
    await source.fetchRaw(refOf(creds, first), MAX_BYTES, first.raw.length);
    const raw = Buffer.from(sampleMail({ subject: 'Arrived later' }));
    const late = await appendMail(dovecot, creds, raw);
    const bytes = await source.fetchRaw(refOf(creds, late), MAX_BYTES, raw.length);
    expect(Buffer.from(bytes).equals(raw)).toBe(true);
  });

  it('fails every message of a batch whose UIDVALIDITY is no longer the folder\'s with UIDVALIDITY_CHANGED', async () => {
    const creds = createImapUser(dovecot, 'uidv-batch');
    const mails = await appendMany(creds, 2);
    const { pool } = countingPool(creds);
    const source = createImapMessageSource(pool);
    const stale = mails.map((m) => source.fetchRaw(refOf(creds, { uid: m.uid, uidValidity: m.uidValidity - 1 }), MAX_BYTES, m.raw.length));
    for (const p of stale) await expect(p).rejects.toMatchObject({ code: 'UIDVALIDITY_CHANGED' });
  });
});
