/**
 * The fencing check in front of the cursor: a replica whose mailbox lease was
 * taken over (it stopped renewing: paused, partitioned) cannot advance the
 * cursor any more, while the new owner can — neither when it renews first,
 * nor when it stalled after its renewal and writes late: PostgreSQL checks
 * the lease's token in the write itself.
 */
import { LeaseLostError } from '@postroom/bus';
import { createImapUser, waitFor } from '@postroom/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCursorStore } from '../src/cursor-store';
import { createLeaseOwnership } from '../src/lease-ownership';
import { addImapMailbox, createIngressTestEnv, cursorOf, type IngressTestEnv } from './harness';

const dovecot = inject('dovecot');
let env: IngressTestEnv;

beforeAll(async () => {
  env = await createIngressTestEnv();
});

afterAll(() => env.cleanup());

/** A mailbox and two ingress replicas' lease ownerships (TTL 1 s), neither holding it yet. */
async function twoReplicasAndAMailbox(user: string) {
  const mailbox = await addImapMailbox(env, dovecot, createImapUser(dovecot, user));
  const replica = (owner: string) => createLeaseOwnership({ bus: env.bus, ttlMs: 1_000, owner, logger: env.logger });
  return {
    mailbox,
    key: `${env.tenantId}/${mailbox.id}`,
    ref: { tenantId: env.tenantId, id: mailbox.id },
    a: await replica('a'),
    b: await replica('b'),
  };
}

describe('lease ownership', () => {
  it('keeps a replica that lost the lease from saving the cursor', async () => {
    const { mailbox, key, ref, a, b } = await twoReplicasAndAMailbox('fence');
    let lostByA = false;
    const claimA = (await a.acquire(key, () => (lostByA = true)))!;
    expect(await b.acquire(key, () => undefined)).toBeUndefined();
    const cursorsA = createCursorStore({ ds: env.ds, mailbox: ref, fence: claimA.fence, token: claimA.token });
    await cursorsA.save('INBOX', { uidValidity: 1, lastUid: 5 });

    await a.close(); // a stops renewing, as a frozen process would
    const claimB = await waitFor('b takes the mailbox', () => b.acquire(key, () => undefined));
    await expect(cursorsA.save('INBOX', { uidValidity: 1, lastUid: 9 })).rejects.toBeInstanceOf(LeaseLostError);
    expect(lostByA).toBe(true);
    expect((await cursorOf(env, mailbox.id))?.lastUid).toBe(5);

    await createCursorStore({ ds: env.ds, mailbox: ref, fence: claimB.fence, token: claimB.token }).save('INBOX', { uidValidity: 1, lastUid: 7 });
    expect((await cursorOf(env, mailbox.id))?.lastUid).toBe(7);
    await claimB.release();
    await b.close();
  });

  it('refuses the late write of a replica that stalled between its lease check and the write', async () => {
    const { mailbox, key, ref, a, b } = await twoReplicasAndAMailbox('stall');
    const claimA = (await a.acquire(key, () => undefined))!;
    // A's lease check has passed already (no fence call left): only the database stands in the way.
    const stalledA = createCursorStore({ ds: env.ds, mailbox: ref, token: claimA.token });
    await stalledA.save('INBOX', { uidValidity: 1, lastUid: 5 });

    await a.close();
    const claimB = await waitFor('b takes the mailbox', () => b.acquire(key, () => undefined));
    expect(claimB.token!.token).toBeGreaterThan(claimA.token!.token);
    const cursorsB = createCursorStore({ ds: env.ds, mailbox: ref, fence: claimB.fence, token: claimB.token });
    expect(await cursorsB.get('INBOX')).toMatchObject({ lastUid: 5 }); // B's first read claims the mailbox in the database

    await expect(stalledA.save('INBOX', { uidValidity: 1, lastUid: 9 })).rejects.toBeInstanceOf(LeaseLostError);
    await expect(stalledA.saveProgress('Sales', { uidValidity: 1, belowUid: 3, uptoUid: 9 })).rejects.toBeInstanceOf(LeaseLostError);
    // A restarted A with its old token cannot claim the mailbox back either.
    await expect(createCursorStore({ ds: env.ds, mailbox: ref, token: claimA.token }).get('INBOX')).rejects.toBeInstanceOf(LeaseLostError);
    expect(await cursorOf(env, mailbox.id)).toMatchObject({ lastUid: 5 });
    expect(await cursorOf(env, mailbox.id, 'Sales')).toBeUndefined();

    await cursorsB.save('INBOX', { uidValidity: 1, lastUid: 7 });
    expect((await cursorOf(env, mailbox.id))?.lastUid).toBe(7);
    await claimB.release();
    await b.close();
  });
});
