import { describe, expect, it } from 'vitest';
import { parseImapSettings } from './imap-settings';

describe('parseImapSettings', () => {
  it('fills the defaults: INBOX, IDLE, TLS with certificate checks, last 100', () => {
    const s = parseImapSettings({ imap: { host: 'imap.example.com' } });
    expect(s.imap).toMatchObject({ port: 993, secure: true, tlsRejectUnauthorized: true, folders: ['INBOX'], idle: true, auth: 'password' });
    expect(s.backfill).toEqual({ mode: 'last', count: 100 });
    expect(s.backfillImported).toBe(true);
  });

  it('reads the backfill modes', () => {
    const since = parseImapSettings({ imap: { host: 'h' }, backfill: { mode: 'since', date: '2024-05-01T00:00:00Z' } });
    expect(since.backfill).toEqual({ mode: 'since', date: new Date('2024-05-01T00:00:00Z') });
    expect(parseImapSettings({ imap: { host: 'h' }, backfill: { mode: 'none' } }).backfill).toEqual({ mode: 'none' });
  });

  it('keeps the folders within the per-account connection cap', () => {
    const folders = ['INBOX', 'A', 'B'];
    expect(() => parseImapSettings({ imap: { host: 'h', folders, maxConnections: 3 } })).toThrow(/settings\.imap\.folders: each folder takes an IMAP connection/);
    expect(parseImapSettings({ imap: { host: 'h', folders, maxConnections: 4 } }).imap.folders).toEqual(folders);
  });

  it('leaves the source mailbox untouched unless afterFiled says otherwise', () => {
    expect(parseImapSettings({ imap: { host: 'h' } }).afterFiled).toBeUndefined();
    expect(parseImapSettings({ imap: { host: 'h' }, afterFiled: { moveTo: 'Filed' } }).afterFiled).toEqual({ markSeen: false, moveTo: 'Filed' });
    expect(parseImapSettings({ imap: { host: 'h' }, afterFiled: { markSeen: true } }).afterFiled).toEqual({ markSeen: true });
  });

  it('refuses to move filed mail into a folder ingress watches', () => {
    expect(() => parseImapSettings({ imap: { host: 'h' }, afterFiled: { moveTo: 'inbox' } })).toThrow(/settings\.afterFiled\.moveTo: is a watched folder/);
    expect(() => parseImapSettings({ imap: { host: 'h', folders: ['INBOX', 'Sales'] }, afterFiled: { moveTo: 'Sales' } })).toThrow(/afterFiled\.moveTo/);
    expect(() => parseImapSettings({ imap: { host: 'h' }, afterFiled: { moveTo: '' } })).toThrow(/afterFiled\.moveTo/);
  });

  it('names every invalid field', () => {
    expect(() => parseImapSettings({ imap: { port: 0, folders: [] } })).toThrow(/settings\.imap\.host.*settings\.imap\.port.*settings\.imap\.folders/);
    expect(() => parseImapSettings({})).toThrow(/settings\.imap/);
  });
});
