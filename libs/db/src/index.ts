/**
 * PostgreSQL access for Postroom: TypeORM entity schemas, migrations, the
 * connection, and repository functions (idempotent writes live here).
 */
export { createDataSource, openDatabase, migrate, hasPendingMigrations } from './data-source';
export type { DataSourceOptions } from './data-source';
export { ensureDatabase, dropDatabase } from './database-admin';
export { DatabaseError, maskDatabaseUrl, databaseNameOf } from './database-error';
export * from './entities';
export { migrations } from './migrations';
export type { Db } from './repositories/db-handle';
export { isUniqueViolation } from './repositories/db-handle';
export * from './repositories/tenants';
export * from './repositories/mailboxes';
export * from './repositories/folder-cursors';
export * from './repositories/mailbox-fence';
export type { DataSource, EntityManager } from 'typeorm';
export * from './repositories/messages';
export * from './repositories/tickets';
export * from './repositories/attachments';
export * from './repositories/outbound';
export * from './repositories/outbound-status';
export * from './repositories/outbound-policy';
export * from './repositories/suppressions';
export * from './repositories/classification-settings';
export * from './repositories/transaction';
export * from './repositories/filing';
