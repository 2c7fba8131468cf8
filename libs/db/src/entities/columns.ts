/**
 * Column builders shared by the entity schemas, so that every table spells
 * tenant ids, uuids, timestamps and bigints the same way. The `pg` driver
 * returns int8 as a string (it may exceed 2^53); counters, UIDs and sizes
 * stay far below that and are mapped to numbers, while IMAP mod-sequences
 * (63-bit, RFC 7162 §3.1.1) map to bigint.
 */
import type { EntitySchemaColumnOptions, ValueTransformer } from 'typeorm';

const toNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

const toBigint: ValueTransformer = {
  to: (value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
  from: (value: unknown) => (value === null || value === undefined ? value : BigInt(value as string)),
};

/** Primary-key uuid column; `constraint` names the composite PK it belongs to. */
export const pkUuid = (name: string, constraint: string): EntitySchemaColumnOptions => ({
  name,
  type: 'uuid',
  primary: true,
  primaryKeyConstraintName: constraint,
});

export const pkText = (name: string, constraint: string): EntitySchemaColumnOptions => ({
  name,
  type: 'text',
  primary: true,
  primaryKeyConstraintName: constraint,
});

export const uuid = (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'uuid', nullable });

export const text = (name: string, nullable = true): EntitySchemaColumnOptions => ({ name, type: 'text', nullable });

export const textArray = (name: string): EntitySchemaColumnOptions => ({
  name,
  type: 'text',
  array: true,
  nullable: false,
  default: () => "'{}'",
});

export const jsonb = (name: string, nullable = true): EntitySchemaColumnOptions => ({ name, type: 'jsonb', nullable });

/** int8 read back as a JS number (counters, UIDs, UIDVALIDITY, byte sizes). */
export const bigintNumber = (name: string, nullable = true): EntitySchemaColumnOptions => ({
  name,
  type: 'bigint',
  nullable,
  transformer: toNumber,
});

/** int8 read back as a JS bigint (IMAP mod-sequences). */
export const bigintExact = (name: string, nullable = true): EntitySchemaColumnOptions => ({
  name,
  type: 'bigint',
  nullable,
  transformer: toBigint,
});

export const timestamp = (name: string, nullable = true): EntitySchemaColumnOptions => ({
  name,
  type: 'timestamptz',
  nullable,
});

/** Set by PostgreSQL on insert (`now()`), never by the app. */
export const createdAt = (): EntitySchemaColumnOptions => ({
  name: 'created_at',
  type: 'timestamptz',
  nullable: false,
  default: () => 'now()',
});

/** Defaults to `now()`; repositories set it on every update (no trigger, so raw SQL must too). */
export const updatedAt = (): EntitySchemaColumnOptions => ({
  name: 'updated_at',
  type: 'timestamptz',
  nullable: false,
  default: () => 'now()',
});
