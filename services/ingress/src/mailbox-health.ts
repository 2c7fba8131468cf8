/**
 * A mailbox's health as a small state machine, derived from what its folder
 * connections prove. "live" needs proof: every folder synced and waiting for
 * change (IDLE entered, or polling); a mailbox is never live on hope.
 *
 *   connecting → syncing → live ⇄ degraded (a folder lost its connection)
 *        ↘ error (the account is refused: credentials, TLS)
 *        ↘ paused (refused N times in a row: stop retrying until resumed)
 */

export type MailboxState = 'connecting' | 'syncing' | 'live' | 'degraded' | 'paused' | 'error';

export const MAILBOX_STATES: readonly MailboxState[] = ['connecting', 'syncing', 'live', 'degraded', 'paused', 'error'];

/** What one folder's connection last proved. */
export type FolderHealth =
  | { phase: 'connecting' }
  /** `code`/`reason` say why, when it is not the first sync (e.g. UIDVALIDITY_CHANGED). */
  | { phase: 'syncing'; code?: string; reason?: string }
  | { phase: 'live' }
  | { phase: 'failed'; code: string; reason: string; account: boolean };

export interface MailboxHealth {
  state: MailboxState;
  /** UPPER_SNAKE code of the problem, '' when healthy. */
  code: string;
  reason: string;
}

export interface HealthInput {
  folders: readonly FolderHealth[];
  /** Account failures (auth refused) in a row, across the mailbox's folders. */
  accountFailures: number;
  /** Pause after this many account failures in a row. */
  pauseAfter: number;
}

/** The mailbox's state from its folders' states. */
export function mailboxHealth(input: HealthInput): MailboxHealth {
  const failed = input.folders.filter((f): f is Extract<FolderHealth, { phase: 'failed' }> => f.phase === 'failed');
  const account = failed.find((f) => f.account);
  if (account && input.accountFailures >= input.pauseAfter) {
    return {
      state: 'paused',
      code: account.code,
      reason: `paused after ${input.accountFailures} failures: ${account.reason}`,
    };
  }
  if (account) return { state: 'error', code: account.code, reason: account.reason };
  if (failed.length > 0) return { state: 'degraded', code: failed[0].code, reason: failed[0].reason };
  if (input.folders.length > 0 && input.folders.every((f) => f.phase === 'live')) {
    return { state: 'live', code: '', reason: '' };
  }
  const noted = input.folders.find((f) => f.phase === 'syncing' && f.code);
  if (noted && noted.phase === 'syncing') return { state: 'syncing', code: noted.code ?? '', reason: noted.reason ?? '' };
  if (input.folders.some((f) => f.phase === 'syncing' || f.phase === 'live')) {
    return { state: 'syncing', code: '', reason: '' };
  }
  return { state: 'connecting', code: '', reason: '' };
}

/** Whether a stored status means "do not watch": paused by us or by an operator. */
export function isPausedStatus(status: string): boolean {
  return status === 'paused';
}
