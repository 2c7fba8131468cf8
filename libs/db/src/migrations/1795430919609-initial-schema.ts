/**
 * The founding schema. Every primary key and unique constraint leads with
 * tenant_id (tenants aside: its id is the tenant id), so the tables can later
 * be distributed by tenant (Citus) without a rewrite. Constraint and index
 * names match the entity schemas, so TypeORM sees no drift between the two.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

const UP = [
  `CREATE TABLE tenants (
    id uuid NOT NULL,
    name text NOT NULL,
    slug text NOT NULL,
    next_ticket_number bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_tenants PRIMARY KEY (id),
    CONSTRAINT uq_tenants_slug UNIQUE (slug)
  )`,
  `CREATE TABLE mailboxes (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL,
    address text NOT NULL,
    display_name text,
    provider text NOT NULL,
    settings jsonb NOT NULL DEFAULT '{}',
    credentials_encrypted text,
    status text NOT NULL DEFAULT 'connecting',
    last_error text,
    last_error_at timestamptz,
    connected_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_mailboxes PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_mailboxes_tenant_address UNIQUE (tenant_id, address),
    CONSTRAINT ck_mailboxes_provider CHECK (provider IN ('imap', 'gmail', 'graph', 'smtp')),
    CONSTRAINT fk_mailboxes_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE mailbox_folders (
    tenant_id uuid NOT NULL,
    mailbox_id uuid NOT NULL,
    folder text NOT NULL,
    uid_validity bigint,
    last_uid bigint NOT NULL DEFAULT 0,
    highest_modseq bigint,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_mailbox_folders PRIMARY KEY (tenant_id, mailbox_id, folder),
    CONSTRAINT fk_mailbox_folders_mailbox FOREIGN KEY (tenant_id, mailbox_id)
      REFERENCES mailboxes (tenant_id, id) ON DELETE CASCADE
  )`,
  `CREATE TABLE tickets (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    number bigint NOT NULL,
    mailbox_id uuid,
    subject text,
    status text NOT NULL DEFAULT 'open',
    requester_address text,
    requester_name text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_tickets PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_tickets_tenant_number UNIQUE (tenant_id, number),
    CONSTRAINT fk_tickets_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
    CONSTRAINT fk_tickets_mailbox FOREIGN KEY (tenant_id, mailbox_id)
      REFERENCES mailboxes (tenant_id, id) ON DELETE NO ACTION
  )`,
  `CREATE INDEX ix_tickets_tenant_updated ON tickets (tenant_id, updated_at)`,
  `CREATE INDEX ix_tickets_tenant_status_updated ON tickets (tenant_id, status, updated_at)`,
  `CREATE INDEX ix_tickets_tenant_mailbox ON tickets (tenant_id, mailbox_id)`,
  `CREATE TABLE ticket_participants (
    tenant_id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    address text NOT NULL,
    CONSTRAINT pk_ticket_participants PRIMARY KEY (tenant_id, ticket_id, address),
    CONSTRAINT fk_ticket_participants_ticket FOREIGN KEY (tenant_id, ticket_id)
      REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
  )`,
  `CREATE TABLE messages (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    ticket_id uuid,
    mailbox_id uuid NOT NULL,
    mail_id text,
    direction text NOT NULL,
    message_id_header text NOT NULL,
    in_reply_to text[] NOT NULL DEFAULT '{}',
    "references" text[] NOT NULL DEFAULT '{}',
    from_address text,
    from_name text,
    "to" jsonb,
    cc jsonb,
    reply_to jsonb,
    subject text,
    text_body text,
    html_body text,
    kind text NOT NULL DEFAULT 'normal',
    verdict jsonb,
    matched_by text,
    raw_key text,
    raw_sha256 text,
    raw_size bigint,
    send_status text,
    send_attempts integer NOT NULL DEFAULT 0,
    sent_at timestamptz,
    send_error text,
    bounce_received_at timestamptz,
    automatic boolean NOT NULL DEFAULT false,
    received_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_messages PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_messages_tenant_mailbox_message_id UNIQUE (tenant_id, mailbox_id, message_id_header),
    CONSTRAINT uq_messages_tenant_mail_id UNIQUE (tenant_id, mail_id),
    CONSTRAINT ck_messages_direction CHECK (direction IN ('inbound', 'outbound')),
    CONSTRAINT ck_messages_send_status
      CHECK (send_status IS NULL OR send_status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
    CONSTRAINT fk_messages_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
    CONSTRAINT fk_messages_mailbox FOREIGN KEY (tenant_id, mailbox_id)
      REFERENCES mailboxes (tenant_id, id) ON DELETE NO ACTION,
    CONSTRAINT fk_messages_ticket FOREIGN KEY (tenant_id, ticket_id)
      REFERENCES tickets (tenant_id, id) ON DELETE NO ACTION
  )`,
  `CREATE INDEX ix_messages_tenant_ticket_created ON messages (tenant_id, ticket_id, created_at)`,
  `CREATE INDEX ix_messages_tenant_message_id ON messages (tenant_id, message_id_header)`,
  `CREATE TABLE attachments (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    message_id uuid NOT NULL,
    idx integer NOT NULL,
    filename text,
    content_type text,
    size bigint,
    content_id text,
    inline boolean NOT NULL DEFAULT false,
    blob_key text,
    sha256 text,
    blocked_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_attachments PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_attachments_tenant_message_idx UNIQUE (tenant_id, message_id, idx),
    CONSTRAINT fk_attachments_message FOREIGN KEY (tenant_id, message_id)
      REFERENCES messages (tenant_id, id) ON DELETE CASCADE
  )`,
  `CREATE TABLE thread_keys (
    tenant_id uuid NOT NULL,
    message_id_header text NOT NULL,
    ticket_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_thread_keys PRIMARY KEY (tenant_id, message_id_header),
    CONSTRAINT fk_thread_keys_ticket FOREIGN KEY (tenant_id, ticket_id)
      REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_thread_keys_tenant_ticket ON thread_keys (tenant_id, ticket_id)`,
];

const TABLES = ['thread_keys', 'attachments', 'messages', 'ticket_participants', 'tickets', 'mailbox_folders', 'mailboxes', 'tenants'];

export class InitialSchema1795430919609 implements MigrationInterface {
  name = 'InitialSchema1795430919609';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of UP) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of TABLES) await runner.query(`DROP TABLE ${table}`);
  }
}
