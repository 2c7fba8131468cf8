/**
 * Fail-fast errors for the database connection. The message always names the
 * DATABASE_URL setting and shows the URL with its password masked, so a
 * misconfigured service stops with one line an operator can act on.
 */

/** DB_UNREACHABLE | DB_MISSING | DB_AUTH_FAILED | DB_UNAVAILABLE | DB_BAD_URL */
export class DatabaseError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'DatabaseError';
  }
}

/** The URL with any password replaced by `***`; never echoes an unparseable URL (it may hold a secret). */
export function maskDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(unparseable URL)';
  }
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** The database name in a postgres:// URL (the path without its slash). */
export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new DatabaseError('DB_BAD_URL', `DATABASE_URL ${maskDatabaseUrl(url)}: names no database`);
  return name;
}

interface PgLikeError {
  code?: string;
  message?: string;
}

function reasonOf(err: PgLikeError, database: string): { code: string; reason: string } {
  // SQLSTATE codes: PostgreSQL manual, Appendix A.
  switch (err.code) {
    case 'ECONNREFUSED':
      return { code: 'DB_UNREACHABLE', reason: 'connection refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'DB_UNREACHABLE', reason: 'host not found' };
    case 'ETIMEDOUT':
      return { code: 'DB_UNREACHABLE', reason: 'connection timed out' };
    case '3D000':
      return { code: 'DB_MISSING', reason: `database "${database}" does not exist` };
    case '28P01':
    case '28000':
      return { code: 'DB_AUTH_FAILED', reason: 'authentication failed' };
    case '57P03':
      return { code: 'DB_UNAVAILABLE', reason: 'the server is starting up or shutting down' };
    default:
      return { code: 'DB_UNAVAILABLE', reason: (err.message ?? String(err)).split('\n')[0] };
  }
}

/** Translates a driver error met while connecting into a DatabaseError naming DATABASE_URL. */
export function toDatabaseError(err: unknown, url: string): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const pgErr = (err ?? {}) as PgLikeError;
  let database = '';
  try {
    database = databaseNameOf(url);
  } catch {
    database = '';
  }
  const timedOut = /timeout/i.test(pgErr.message ?? '');
  const { code, reason } = timedOut ? reasonOf({ code: 'ETIMEDOUT' }, database) : reasonOf(pgErr, database);
  return new DatabaseError(code, `DATABASE_URL ${maskDatabaseUrl(url)}: ${reason}`, { cause: err });
}
