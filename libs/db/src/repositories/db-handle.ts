/**
 * What repository functions run against: the DataSource, or the
 * EntityManager of a transaction (`ds.transaction(async (tx) => …)`) so that
 * several writes commit together.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseError } from '../database-error';

export type Db = DataSource | EntityManager;

/** SQLSTATE 23505 unique_violation (PostgreSQL manual, Appendix A). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return code === '23505' && (constraint === undefined || name === constraint);
}

/** A write that collided with an existing row on a unique key. */
export function conflict(message: string, cause: unknown): DatabaseError {
  return new DatabaseError('DB_CONFLICT', message, { cause });
}
