/**
 * A backfill cut short by a crash goes on where it stopped (issue 3: "resumable
 * after a crash"): the ingress finds the progress the dead one saved after
 * its last published batch, publishes only the older mail it had not reached,
 * and then reads what arrived while it was down.
 */
import { saveBackfillProgress } from '@postroom/db';
import { appendMail, createImapUser, sampleMail, waitFor } from '@postroom/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startIngress } from '../src/ingress';
import type { Supervisor } from '../src/mailbox-supervisor';
import { addImapMailbox, createIngressTestEnv, cursorOf, FAST, pointerKeys, readPointers, testLogger, type IngressTestEnv } from './harness';

const dovecot = inject('dovecot');
let env: IngressTestEnv;
let ingress: Supervisor | undefined;

beforeAll(async () => {
  env = await createIngressTestEnv();
});

afterAll(async () => {
  await ingress?.stop();
  await env.cleanup();
});

describe('backfill after a crash', () => {
  it('publishes only what the crashed pass had not reached, then the mail that arrived meanwhile', async () => {
    const creds = createImapUser(dovecot, 'resume');
    const first = [];
    for (let i = 0; i < 6; i += 1) first.push(await appendMail(dovecot, creds, sampleMail({ subject: `old ${i}` })));
    const { uidValidity } = first[0];
    const mailbox = await addImapMailbox(env, dovecot, creds, { backfill: { mode: 'all' } });
    // What an ingress killed after publishing its first batch (UIDs 6, 5, 4) left behind.
    await saveBackfillProgress(env.ds, env.tenantId, mailbox.id, 'INBOX', { uidValidity, belowUid: 4, uptoUid: 6 });
    const meanwhile = await appendMail(dovecot, creds, sampleMail({ subject: 'arrived while down' }));

    // No reconciling pass to fall back on: the mail that arrived meanwhile must be read right after the backfill.
    const options = { ...FAST, watcher: { ...FAST.watcher, reconcileMs: 600_000 } };
    ingress = startIngress({ bus: env.bus, ds: env.ds, secrets: env.secrets, logger: testLogger('ingress'), options });
    await waitFor('caught up', async () => (await cursorOf(env, mailbox.id))?.lastUid === meanwhile.uid);

    const keys = pointerKeys(await readPointers(env, mailbox.id));
    expect(keys).toEqual([3, 2, 1, meanwhile.uid].map((uid) => `INBOX:${uidValidity}:${uid}`));
    expect(await cursorOf(env, mailbox.id)).toMatchObject({ uidValidity, backfillUidValidity: null, backfillBelowUid: null });
  });
});
