/**
 * Where an ingested message lives at its provider, so a mailbox's afterFiled
 * action (mark \Seen, move; issue 3) can find it once it is filed: the IMAP
 * folder, its UIDVALIDITY and the UID (RFC 3501 §2.3.1.1: a UID means
 * something only with its folder's UIDVALIDITY). Null for mail that did not
 * come over IMAP and for outbound rows.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MessageSource1795433665168 implements MigrationInterface {
  name = 'MessageSource1795433665168';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE messages ADD COLUMN source_folder text, ADD COLUMN source_uid_validity bigint, ADD COLUMN source_uid bigint`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE messages DROP COLUMN source_folder, DROP COLUMN source_uid_validity, DROP COLUMN source_uid`);
  }
}
