/**
 * Mailboxes and their sealed credentials (architecture invariant 7: secrets
 * encrypted at rest with AES-256-GCM, never logged). Credentials go in sealed
 * and come out only through `readMailboxCredentials`; every other read leaves
 * the column out (`select: false` on the entity).
 */
import { randomUUID } from 'node:crypto';
import type { SecretBox } from '@postroom/crypto';
import type { QueryDeepPartialEntity } from 'typeorm';
import { DatabaseError } from '../database-error';
import { MailboxEntity, type Mailbox, type MailboxProvider, type MailboxRow, type MailboxSettings } from '../entities/mailbox.entity';
import { conflict, isUniqueViolation, type Db } from './db-handle';
import { queryRows, type Queryable } from './messages';

export interface AccountCredentials {
  user: string;
  password?: string;
  accessToken?: string;
  refreshToken?: string;
}

/** The sealed JSON: `{ imap: { user, password }, smtp: { user, password } }` (or OAuth tokens). */
export interface MailboxCredentials {
  imap?: AccountCredentials;
  smtp?: AccountCredentials;
  [key: string]: unknown;
}

export interface NewMailbox {
  tenantId: string;
  name: string;
  address: string;
  displayName?: string | null;
  provider: MailboxProvider;
  settings: MailboxSettings;
  credentials?: MailboxCredentials;
}

export interface MailboxStatusUpdate {
  status: string;
  /** A string records the error (and its time); null clears both; undefined leaves them. */
  lastError?: string | null;
  /** true stamps connected_at with now(); false clears it; undefined leaves it. */
  connected?: boolean;
}

/** Strips the sealed column and the ingress's lease fence in case a caller selected them; repositories never hand them out. */
function publicView(row: MailboxRow): Mailbox {
  const { credentialsEncrypted: _sealed, leaseEpoch: _epoch, leaseFence: _fence, ...mailbox } = row;
  return mailbox;
}

/** Inserts a mailbox with its credentials sealed; DB_CONFLICT when the tenant already has the address. */
export async function createMailbox(ds: Db, box: SecretBox, input: NewMailbox): Promise<Mailbox> {
  const repo = ds.getRepository(MailboxEntity);
  const id = randomUUID();
  const sealed = input.credentials === undefined ? null : box.seal(JSON.stringify(input.credentials));
  try {
    await repo.insert({
      tenantId: input.tenantId,
      id,
      name: input.name,
      address: input.address,
      displayName: input.displayName ?? null,
      provider: input.provider,
      settings: input.settings as QueryDeepPartialEntity<MailboxSettings>,
      credentialsEncrypted: sealed,
    });
  } catch (err) {
    if (isUniqueViolation(err, 'uq_mailboxes_tenant_address')) {
      throw conflict(`mailbox ${input.address} already exists for tenant ${input.tenantId}`, err);
    }
    throw err;
  }
  return publicView(await repo.findOneByOrFail({ tenantId: input.tenantId, id }));
}

/** Every mailbox (of one tenant, or of all tenants for the ingress), without credentials. */
export async function listMailboxes(ds: Db, tenantId?: string): Promise<Mailbox[]> {
  const rows = await ds.getRepository(MailboxEntity).find({
    where: tenantId === undefined ? {} : { tenantId },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
  return rows.map(publicView);
}

/** A tenant's mailbox by its address; addresses compare case-insensitively (RFC 5321 domains are). */
export async function findMailboxByAddress(ds: Db, tenantId: string, address: string): Promise<Mailbox | undefined> {
  const row = await ds
    .getRepository(MailboxEntity)
    .createQueryBuilder('m')
    .where('m.tenant_id = :tenantId AND lower(m.address) = lower(:address)', { tenantId, address })
    .getOne();
  return row ? publicView(row) : undefined;
}

export async function getMailbox(ds: Db, tenantId: string, id: string): Promise<Mailbox | undefined> {
  const row = await ds.getRepository(MailboxEntity).findOneBy({ tenantId, id });
  return row ? publicView(row) : undefined;
}

/**
 * Whether an IMAP mailbox's settings name an `afterFiled` action (mark \Seen or
 * move the source message once it is filed). Deliberately coarse: the
 * mailbox-actions stage validates the settings and decides what to do.
 */
export async function wantsAfterFiled(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const rows = await queryRows<{ wants: boolean }>(
    q,
    `SELECT provider = 'imap' AND settings ? 'afterFiled' AS wants FROM mailboxes WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0]?.wants === true;
}

/** Opens the mailbox's credentials; `{}` when it has none. Throws when the mailbox does not exist. */
export async function readMailboxCredentials(ds: Db, box: SecretBox, tenantId: string, id: string): Promise<MailboxCredentials> {
  const row = await ds
    .getRepository(MailboxEntity)
    .createQueryBuilder('m')
    .select(['m.tenantId', 'm.id'])
    .addSelect('m.credentialsEncrypted')
    .where('m.tenant_id = :tenantId AND m.id = :id', { tenantId, id })
    .getOne();
  if (!row) throw new DatabaseError('MAILBOX_NOT_FOUND', `mailbox ${id} of tenant ${tenantId} does not exist`);
  if (row.credentialsEncrypted === null || row.credentialsEncrypted === undefined) return {};
  return JSON.parse(box.open(row.credentialsEncrypted)) as MailboxCredentials;
}

/** Replaces the mailbox's credentials (sealed with the current key). */
export async function updateMailboxCredentials(
  ds: Db,
  box: SecretBox,
  ref: { tenantId: string; id: string },
  credentials: MailboxCredentials,
): Promise<boolean> {
  const sealed = box.seal(JSON.stringify(credentials));
  const result = await ds
    .getRepository(MailboxEntity)
    .update({ tenantId: ref.tenantId, id: ref.id }, { credentialsEncrypted: sealed, updatedAt: () => 'now()' });
  return (result.affected ?? 0) > 0;
}

/** Records the mailbox's health; returns false when no such mailbox exists. */
export async function setMailboxStatus(ds: Db, tenantId: string, id: string, update: MailboxStatusUpdate): Promise<boolean> {
  const set: QueryDeepPartialEntity<MailboxRow> = { status: update.status, updatedAt: () => 'now()' };
  if (update.lastError !== undefined) {
    set.lastError = update.lastError;
    set.lastErrorAt = update.lastError === null ? null : () => 'now()';
  }
  if (update.connected !== undefined) set.connectedAt = update.connected ? () => 'now()' : null;
  const result = await ds.getRepository(MailboxEntity).update({ tenantId, id }, set);
  return (result.affected ?? 0) > 0;
}

/**
 * Key rotation: re-seals, with the current key, every credential sealed with
 * a previous one (run after setting ENCRYPTION_PREVIOUS_KEYS). Returns how
 * many were re-sealed; afterwards the previous key can be dropped.
 */
export async function resealMailboxCredentials(ds: Db, box: SecretBox): Promise<number> {
  const rows = await ds
    .getRepository(MailboxEntity)
    .createQueryBuilder('m')
    .select(['m.tenantId', 'm.id'])
    .addSelect('m.credentialsEncrypted')
    .where('m.credentials_encrypted IS NOT NULL')
    .getMany();
  let count = 0;
  for (const row of rows) {
    const sealed = row.credentialsEncrypted as string;
    if (!box.needsRotation(sealed)) continue;
    await ds
      .getRepository(MailboxEntity)
      .update({ tenantId: row.tenantId, id: row.id }, { credentialsEncrypted: box.seal(box.open(sealed)) });
    count += 1;
  }
  return count;
}
