/**
 * Two pieces of ingress state that must survive a crash or a takeover:
 *
 * - `mailboxes.lease_epoch` / `lease_fence`: the fencing token of the ingress
 *   replica that holds the mailbox's lease (the NATS KV bucket's creation
 *   time and the key's revision). A cursor write succeeds only for the
 *   holder of the stored token, in the same statement, so a replica that
 *   lost its lease cannot advance a cursor behind the new owner's back —
 *   however long it stalled between its lease check and its write.
 * - `mailbox_folders.backfill_*`: how far a running backfill or UIDVALIDITY
 *   resync got (newest first: everything from `backfill_below_uid` up to
 *   `backfill_upto_uid` is published), so a restart goes on from there
 *   instead of listing and publishing the whole folder again.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LeaseFenceAndBackfillProgress1796567754676 implements MigrationInterface {
  name = 'LeaseFenceAndBackfillProgress1796567754676';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE mailboxes ADD COLUMN lease_epoch timestamptz, ADD COLUMN lease_fence bigint`);
    await runner.query(
      `ALTER TABLE mailbox_folders ADD COLUMN backfill_uid_validity bigint, ADD COLUMN backfill_below_uid bigint, ADD COLUMN backfill_upto_uid bigint`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE mailbox_folders DROP COLUMN backfill_uid_validity, DROP COLUMN backfill_below_uid, DROP COLUMN backfill_upto_uid`);
    await runner.query(`ALTER TABLE mailboxes DROP COLUMN lease_epoch, DROP COLUMN lease_fence`);
  }
}
