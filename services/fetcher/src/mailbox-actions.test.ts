import { describe, expect, it } from 'vitest';
import { create, Direction, TicketMessageAddedSchema } from '@postroom/contracts';
import { TerminalError } from '@postroom/errors';
import { afterFiledOf, createMailboxActionsHandler } from './mailbox-actions';
import type { FiledMessage, FiledMessages, SourceMailbox } from './ports';

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

describe('the mailbox-actions handler', () => {
  const tenantId = '00000000-0000-4000-8000-000000000001';
  const mailboxId = '00000000-0000-4000-8000-000000000002';
  const messageId = '00000000-0000-4000-8000-000000000003';
  const event = create(TicketMessageAddedSchema, { ticket: { tenantId }, messageId, mailboxId, direction: Direction.INBOUND });
  const ctx = { logger: { info: () => undefined, warn: () => undefined } } as never;

  function world(settings: unknown) {
    const reads: string[] = [];
    const applied: unknown[] = [];
    const rows: FiledMessages = {
      find: async () => (reads.push('row'), { ...filed(settings), tenantId, mailboxId }),
    };
    const source: SourceMailbox = { apply: async (ref, actions) => (applied.push({ ref, actions }), 'done') };
    return { reads, applied, handle: createMailboxActionsHandler({ filed: rows, source }) };
  }

  it('does nothing when the mailbox no longer asks for afterFiled (settings changed after the hand-off)', async () => {
    const w = world({ imap: { host: 'h' } });
    expect(await w.handle(event, ctx)).toEqual([]);
    expect(w.reads).toEqual(['row']);
    expect(w.applied).toEqual([]);
  });

  it('reads the row afresh and acts when the mailbox asks for afterFiled', async () => {
    const w = world({ imap: { host: 'h' }, afterFiled: { markSeen: true } });
    await w.handle(event, ctx);
    expect(w.reads).toEqual(['row']);
    expect(w.applied).toEqual([{ ref: { tenantId, mailboxId, folder: 'INBOX', uidValidity: 1, uid: 1 }, actions: { markSeen: true, moveTo: undefined } }]);
  });
});
