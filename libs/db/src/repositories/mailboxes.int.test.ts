import { randomBytes } from 'node:crypto';
import { createSecretBox } from '@postroom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/fresh-database';
import type { Tenant } from '../entities/tenant.entity';
import {
  createMailbox,
  getMailbox,
  listMailboxes,
  readMailboxCredentials,
  resealMailboxCredentials,
  setMailboxStatus,
  type NewMailbox,
} from './mailboxes';
import { createTenant, findTenantBySlug } from './tenants';

const key = () => randomBytes(32).toString('base64');
const box = createSecretBox({ key: key() });
const CREDENTIALS = { imap: { user: 'support', password: 'imap-pa55' }, smtp: { user: 'support', password: 'smtp-pa55' } };

let db: FreshDatabase;
let acme: Tenant;
let globex: Tenant;

beforeAll(async () => {
  db = await freshDatabase();
  acme = await createTenant(db.ds, { name: 'Acme', slug: 'acme' });
  globex = await createTenant(db.ds, { name: 'Globex', slug: 'globex' });
});
afterAll(() => db?.cleanup());

const newMailbox = (tenantId: string, address: string): NewMailbox => ({
  tenantId,
  name: 'Support',
  address,
  displayName: 'Acme Support',
  provider: 'imap',
  settings: { imap: { host: '127.0.0.1', port: 1143, secure: false, folders: ['INBOX'] } },
  credentials: CREDENTIALS,
});

describe('tenants', () => {
  it('creates and finds by slug; a taken slug is a conflict', async () => {
    expect(acme).toMatchObject({ name: 'Acme', slug: 'acme', nextTicketNumber: 1 });
    expect(acme.createdAt).toBeInstanceOf(Date);
    expect(await findTenantBySlug(db.ds, 'acme')).toEqual(acme);
    expect(await findTenantBySlug(db.ds, 'nobody')).toBeUndefined();
    await expect(createTenant(db.ds, { name: 'Other', slug: 'acme' })).rejects.toMatchObject({ code: 'DB_CONFLICT' });
  });
});

describe('mailboxes', () => {
  it('stores credentials sealed, never in the clear', async () => {
    const mailbox = await createMailbox(db.ds, box, newMailbox(acme.id, 'sealed@acme.test'));
    const [row] = await db.ds.query('SELECT credentials_encrypted FROM mailboxes WHERE id = $1', [mailbox.id]);
    expect(row.credentials_encrypted).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.credentials_encrypted).not.toContain('pa55');
    expect(await readMailboxCredentials(db.ds, box, acme.id, mailbox.id)).toEqual(CREDENTIALS);
  });

  it('returns mailboxes without credentials, per tenant or all', async () => {
    const mailbox = await createMailbox(db.ds, box, newMailbox(globex.id, 'list@globex.test'));
    expect(mailbox).toMatchObject({ status: 'connecting', provider: 'imap', lastError: null, connectedAt: null });
    expect(mailbox.settings).toEqual(newMailbox(globex.id, '').settings);
    const all = await listMailboxes(db.ds);
    const mine = await listMailboxes(db.ds, globex.id);
    expect(mine.map((m) => m.address)).toEqual(['list@globex.test']);
    expect(all.length).toBeGreaterThan(mine.length);
    for (const m of [...all, mailbox, await getMailbox(db.ds, globex.id, mailbox.id)]) {
      expect(m).toBeDefined();
      expect(Object.keys(m as object)).not.toContain('credentialsEncrypted');
      expect(JSON.stringify(m)).not.toMatch(/pa55|v1\.[0-9a-f]{8}\./);
    }
  });

  it('never crosses tenants', async () => {
    const mailbox = await createMailbox(db.ds, box, newMailbox(acme.id, 'walls@acme.test'));
    expect(await getMailbox(db.ds, globex.id, mailbox.id)).toBeUndefined();
    await expect(readMailboxCredentials(db.ds, box, globex.id, mailbox.id)).rejects.toMatchObject({ code: 'MAILBOX_NOT_FOUND' });
    expect(await setMailboxStatus(db.ds, globex.id, mailbox.id, { status: 'connected' })).toBe(false);
    expect((await getMailbox(db.ds, acme.id, mailbox.id))?.status).toBe('connecting');
  });

  it('rejects a second mailbox with the same address in a tenant, not across tenants', async () => {
    await createMailbox(db.ds, box, newMailbox(acme.id, 'dup@shared.test'));
    await expect(createMailbox(db.ds, box, newMailbox(acme.id, 'dup@shared.test'))).rejects.toMatchObject({ code: 'DB_CONFLICT' });
    await expect(createMailbox(db.ds, box, newMailbox(globex.id, 'dup@shared.test'))).resolves.toMatchObject({ tenantId: globex.id });
  });

  it('records status, errors and connection time', async () => {
    const { id } = await createMailbox(db.ds, box, newMailbox(acme.id, 'status@acme.test'));
    expect(await setMailboxStatus(db.ds, acme.id, id, { status: 'auth_failed', lastError: 'AUTHENTICATIONFAILED' })).toBe(true);
    const failed = await getMailbox(db.ds, acme.id, id);
    expect(failed).toMatchObject({ status: 'auth_failed', lastError: 'AUTHENTICATIONFAILED', connectedAt: null });
    expect(failed?.lastErrorAt).toBeInstanceOf(Date);
    await setMailboxStatus(db.ds, acme.id, id, { status: 'connected', connected: true });
    const connected = await getMailbox(db.ds, acme.id, id);
    expect(connected).toMatchObject({ status: 'connected', lastError: 'AUTHENTICATIONFAILED' });
    expect(connected?.connectedAt).toBeInstanceOf(Date);
    await setMailboxStatus(db.ds, acme.id, id, { status: 'connected', lastError: null });
    expect(await getMailbox(db.ds, acme.id, id)).toMatchObject({ lastError: null, lastErrorAt: null });
    await setMailboxStatus(db.ds, acme.id, id, { status: 'disconnected', connected: false });
    expect(await getMailbox(db.ds, acme.id, id)).toMatchObject({ status: 'disconnected', connectedAt: null });
  });

  it('cannot open credentials with the wrong key, and names the key id', async () => {
    const { id } = await createMailbox(db.ds, box, newMailbox(acme.id, 'wrongkey@acme.test'));
    const [row] = await db.ds.query('SELECT credentials_encrypted FROM mailboxes WHERE id = $1', [id]);
    const keyId = String(row.credentials_encrypted).split('.')[1];
    const other = createSecretBox({ key: key() });
    await expect(readMailboxCredentials(db.ds, other, acme.id, id)).rejects.toThrow(new RegExp(`key ${keyId}`));
  });

  it('re-seals credentials under a new key, after which the old key is not needed', async () => {
    const own = await freshDatabase();
    try {
      const tenant = await createTenant(own.ds, { name: 'Rotate', slug: 'rotate' });
      const oldKey = key();
      const { id } = await createMailbox(own.ds, createSecretBox({ key: oldKey }), newMailbox(tenant.id, 'a@rotate.test'));
      const newKey = key();
      const rotating = createSecretBox({ key: newKey, previousKeys: [oldKey] });
      await createMailbox(own.ds, rotating, newMailbox(tenant.id, 'b@rotate.test'));
      await createMailbox(own.ds, rotating, { ...newMailbox(tenant.id, 'c@rotate.test'), credentials: undefined });
      expect(await readMailboxCredentials(own.ds, rotating, tenant.id, id)).toEqual(CREDENTIALS);
      expect(await resealMailboxCredentials(own.ds, rotating)).toBe(1);
      expect(await resealMailboxCredentials(own.ds, rotating)).toBe(0);
      const newOnly = createSecretBox({ key: newKey });
      expect(await readMailboxCredentials(own.ds, newOnly, tenant.id, id)).toEqual(CREDENTIALS);
    } finally {
      await own.cleanup();
    }
  });
});
