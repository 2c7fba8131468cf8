import { describe, expect, it } from 'vitest';
import { mailboxHealth, type FolderHealth } from './mailbox-health';

const live: FolderHealth = { phase: 'live' };
const authFailed: FolderHealth = { phase: 'failed', code: 'MAILBOX_AUTH_FAILED', reason: 'refused', account: true };
const dropped: FolderHealth = { phase: 'failed', code: 'IMAP_UNAVAILABLE', reason: 'reset', account: false };

describe('mailboxHealth', () => {
  it('is live only when every folder proved it', () => {
    expect(mailboxHealth({ folders: [live, live], accountFailures: 0, pauseAfter: 3 }).state).toBe('live');
    expect(mailboxHealth({ folders: [live, { phase: 'syncing' }], accountFailures: 0, pauseAfter: 3 }).state).toBe('syncing');
    expect(mailboxHealth({ folders: [{ phase: 'connecting' }], accountFailures: 0, pauseAfter: 3 }).state).toBe('connecting');
    expect(mailboxHealth({ folders: [], accountFailures: 0, pauseAfter: 3 }).state).toBe('connecting');
  });

  it('is degraded when a folder lost its connection', () => {
    expect(mailboxHealth({ folders: [live, dropped], accountFailures: 0, pauseAfter: 3 })).toEqual({
      state: 'degraded', code: 'IMAP_UNAVAILABLE', reason: 'reset',
    });
  });

  it('is in error when the account is refused, and paused after enough refusals', () => {
    expect(mailboxHealth({ folders: [authFailed], accountFailures: 2, pauseAfter: 3 }).state).toBe('error');
    const paused = mailboxHealth({ folders: [authFailed], accountFailures: 3, pauseAfter: 3 });
    expect(paused.state).toBe('paused');
    expect(paused.code).toBe('MAILBOX_AUTH_FAILED');
  });

  it('says why it is syncing again', () => {
    const resync: FolderHealth = { phase: 'syncing', code: 'UIDVALIDITY_CHANGED', reason: 'INBOX 1 → 2' };
    expect(mailboxHealth({ folders: [live, resync], accountFailures: 0, pauseAfter: 3 })).toEqual({
      state: 'syncing', code: 'UIDVALIDITY_CHANGED', reason: 'INBOX 1 → 2',
    });
  });
});
