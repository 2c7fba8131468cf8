import { describe, expect, it } from 'vitest';
import { TerminalError } from '@postroom/errors';
import { afterFiledOf } from './mailbox-actions';
import type { FiledMessage } from './ports';

const filed = (settings: unknown, provider = 'imap'): FiledMessage => ({
  tenantId: 't', mailboxId: 'm', provider, settings, source: { folder: 'INBOX', uidValidity: 1, uid: 1 },
});

describe('afterFiledOf', () => {
  it('asks for nothing unless an IMAP mailbox sets afterFiled with an action', () => {
    expect(afterFiledOf(filed({ imap: { host: 'h' } }))).toBeUndefined();
    expect(afterFiledOf(filed({ imap: { host: 'h' }, afterFiled: {} }))).toBeUndefined();
    expect(afterFiledOf(filed({ afterFiled: { markSeen: true } }, 'smtp'))).toBeUndefined();
    // Settings that would not parse do not matter when nothing is asked for.
    expect(afterFiledOf(filed({ imap: { folders: [] } }))).toBeUndefined();
  });

  it('returns the actions, validated', () => {
    expect(afterFiledOf(filed({ imap: { host: 'h' }, afterFiled: { markSeen: true, moveTo: 'Done' } }))).toEqual({ markSeen: true, moveTo: 'Done' });
  });

  it('treats unusable settings as terminal, naming the field', () => {
    const bad = () => afterFiledOf(filed({ imap: { host: 'h' }, afterFiled: { moveTo: 'INBOX' } }));
    expect(bad).toThrow(TerminalError);
    expect(bad).toThrow(/afterFiled\.moveTo/);
  });
});
