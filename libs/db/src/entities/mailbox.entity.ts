/**
 * A support mailbox: where mail comes from (IMAP, Gmail, Graph, forwarded
 * SMTP), how to reach it (`settings`), its sealed credentials and its health.
 * `credentials_encrypted` is `select: false`, so a plain find never loads it;
 * only `readMailboxCredentials` reads and opens it.
 */
import { EntitySchema } from 'typeorm';
import { bigintNumber, createdAt, jsonb, pkUuid, text, timestamp, updatedAt } from './columns';

export const MAILBOX_PROVIDERS = ['imap', 'gmail', 'graph', 'smtp'] as const;
export type MailboxProvider = (typeof MAILBOX_PROVIDERS)[number];

/**
 * Provider settings (jsonb). Deliberately opaque here: each provider's library
 * validates its own part with defaults (libs/imap `parseImapSettings`, the
 * sender's SMTP settings), so there is one definition of each shape.
 */
export type MailboxSettings = Record<string, unknown>;

export interface Mailbox {
  tenantId: string;
  id: string;
  name: string;
  address: string;
  displayName: string | null;
  provider: MailboxProvider;
  settings: MailboxSettings;
  status: string;
  lastError: string | null;
  lastErrorAt: Date | null;
  connectedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The full row, as stored; never returned by the repositories. */
export interface MailboxRow extends Mailbox {
  credentialsEncrypted: string | null;
  /** The lease fencing token of the ingress replica that holds the mailbox (repositories/mailbox-fence.ts). */
  leaseEpoch: Date | null;
  leaseFence: number | null;
}

export const MailboxEntity = new EntitySchema<MailboxRow>({
  name: 'Mailbox',
  tableName: 'mailboxes',
  columns: {
    tenantId: pkUuid('tenant_id', 'pk_mailboxes'),
    id: pkUuid('id', 'pk_mailboxes'),
    name: text('name', false),
    address: text('address', false),
    displayName: text('display_name'),
    provider: text('provider', false),
    settings: { ...jsonb('settings', false), default: () => "'{}'" },
    credentialsEncrypted: { ...text('credentials_encrypted'), select: false },
    leaseEpoch: { ...timestamp('lease_epoch'), select: false },
    leaseFence: { ...bigintNumber('lease_fence'), select: false },
    status: { ...text('status', false), default: 'connecting' },
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at'),
    connectedAt: timestamp('connected_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'uq_mailboxes_tenant_address', columns: ['tenantId', 'address'] }],
  checks: [{ name: 'ck_mailboxes_provider', expression: `provider IN ('imap', 'gmail', 'graph', 'smtp')` }],
  foreignKeys: [
    { name: 'fk_mailboxes_tenant', target: 'Tenant', columnNames: ['tenantId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
  ],
});
