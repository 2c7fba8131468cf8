/**
 * Every migration, oldest first. Files are `<unix-ms>-<kebab-name>.ts`
 * exporting a class `<PascalName><unix-ms>`; TypeORM orders them by that
 * timestamp and records each in the `migrations` table.
 */
import { InitialSchema1795430919609 } from './1795430919609-initial-schema';
import { MessageMatchDetail1795431000000 } from './1795431000000-message-match-detail';
import { MessageSource1795433665168 } from './1795433665168-message-source';
import { Suppressions1795433898748 } from './1795433898748-suppressions';
import { LeaseFenceAndBackfillProgress1796567754676 } from './1796567754676-lease-fence-and-backfill-progress';

export const migrations = [
  InitialSchema1795430919609,
  MessageMatchDetail1795431000000,
  MessageSource1795433665168,
  Suppressions1795433898748,
  LeaseFenceAndBackfillProgress1796567754676,
];
