/**
 * Why a message was threaded the way it was, beyond the `matched_by` code:
 * e.g. "subject tag [#12] ignored: sender is not a participant of ticket
 * #12" when a stranger quotes another customer's ticket number (issue 5), so
 * an agent can see why a mail did not join a ticket.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MessageMatchDetail1795431000000 implements MigrationInterface {
  name = 'MessageMatchDetail1795431000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE messages ADD COLUMN match_detail text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE messages DROP COLUMN match_detail`);
  }
}
