/**
 * Recipients we must not mail: an address whose mail to us came back as a
 * permanent failure (RFC 3463 5.x.x) in a bounce that reports on a message
 * we sent. Each row expires (a mailbox that did not exist may be created
 * later); the sender skips unexpired rows, the ticketer writes them, and an
 * operator lists or removes them with `postroom suppressions`. The key leads
 * with tenant_id (architecture invariant 6).
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Suppressions1795433898748 implements MigrationInterface {
  name = 'Suppressions1795433898748';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE suppressions (
      tenant_id uuid NOT NULL,
      address text NOT NULL,
      reason text NOT NULL,
      status_code text,
      bounced_message_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      CONSTRAINT pk_suppressions PRIMARY KEY (tenant_id, address),
      CONSTRAINT fk_suppressions_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
    )`);
    await runner.query(`CREATE INDEX ix_suppressions_tenant_expires ON suppressions (tenant_id, expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE suppressions`);
  }
}
