/**
 * The fencing check in front of the cursor: a replica whose mailbox lease was
 * taken over (it stopped renewing: paused, partitioned) cannot advance the
 * cursor any more, while the new owner can.
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

describe('lease ownership', () => {
  it('keeps a replica that lost the lease from saving the cursor', async () => {
    const mailbox = await addImapMailbox(env, dovecot, createImapUser(dovecot, 'fence'));
    const key = `${env.tenantId}/${mailbox.id}`;
    const ref = { tenantId: env.tenantId, id: mailbox.id };
    const a = await createLeaseOwnership({ bus: env.bus, ttlMs: 1_000, owner: 'a', logger: env.logger });
    const b = await createLeaseOwnership({ bus: env.bus, ttlMs: 1_000, owner: 'b', logger: env.logger });
    let lostByA = false;
    const claimA = (await a.acquire(key, () => (lostByA = true)))!;
    expect(await b.acquire(key, () => undefined)).toBeUndefined();
    const cursorsA = createCursorStore({ ds: env.ds, mailbox: ref, fence: claimA.fence });
    await cursorsA.save('INBOX', { uidValidity: 1, lastUid: 5 });

    await a.close(); // a stops renewing, as a frozen process would
    const claimB = await waitFor('b takes the mailbox', () => b.acquire(key, () => undefined));
    await expect(cursorsA.save('INBOX', { uidValidity: 1, lastUid: 9 })).rejects.toBeInstanceOf(LeaseLostError);
    expect(lostByA).toBe(true);
    expect((await cursorOf(env, mailbox.id))?.lastUid).toBe(5);

    await createCursorStore({ ds: env.ds, mailbox: ref, fence: claimB.fence }).save('INBOX', { uidValidity: 1, lastUid: 7 });
    expect((await cursorOf(env, mailbox.id))?.lastUid).toBe(7);
    await claimB.release();
    await b.close();
  });
});
