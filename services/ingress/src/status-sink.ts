/**
 * A mailbox's health, persisted (mailboxes.status, last_error, connected_at)
 * and announced as MailboxStatusChanged, in that order, one change at a time.
 */
import { publishEvent, type Bus } from '@postroom/bus';
import { create, MailboxState as ProtoState, MailboxStatusChangedSchema } from '@postroom/contracts';
import { getMailbox, setMailboxStatus, type DataSource } from '@postroom/db';
import type { MailboxHealth, MailboxState } from './mailbox-health';
import type { StatusSink } from './ports';

const PROTO_STATE: Record<MailboxState, ProtoState> = {
  connecting: ProtoState.CONNECTING,
  syncing: ProtoState.SYNCING,
  live: ProtoState.LIVE,
  degraded: ProtoState.DEGRADED,
  paused: ProtoState.PAUSED,
  error: ProtoState.ERROR,
};

export interface StatusSinkOptions {
  bus: Bus;
  ds: DataSource;
  mailbox: { tenantId: string; id: string };
  /** The status stored when the watcher started, the "previous" of the first event. */
  initial?: string;
  now?: () => number;
}

/** The row update for a state: live stamps connected_at; error and paused clear it. */
export function statusUpdate(h: MailboxHealth): { status: string; lastError?: string | null; connected?: boolean } {
  const lastError = h.code ? `${h.code}: ${h.reason}` : undefined;
  switch (h.state) {
    case 'live':
      return { status: h.state, lastError: null, connected: true };
    case 'error':
    case 'paused':
      return { status: h.state, lastError, connected: false };
    default:
      return { status: h.state, lastError };
  }
}

export function createStatusSink(opts: StatusSinkOptions): StatusSink {
  const now = opts.now ?? Date.now;
  let previous = opts.initial as MailboxState | undefined;
  return {
    async report(h) {
      const { tenantId, id } = opts.mailbox;
      // An operator's pause wins over a watcher that has not noticed it yet
      // (the supervisor lets the mailbox go at its next refresh).
      const stored = await getMailbox(opts.ds, tenantId, id);
      if (!stored || (stored.status === 'paused' && h.state !== 'paused')) return;
      await setMailboxStatus(opts.ds, tenantId, id, statusUpdate(h));
      const at = now();
      const event = create(MailboxStatusChangedSchema, {
        tenantId,
        mailboxId: id,
        state: PROTO_STATE[h.state],
        previousState: previous && previous in PROTO_STATE ? PROTO_STATE[previous] : ProtoState.UNSPECIFIED,
        code: h.code,
        reason: h.reason,
        atMs: BigInt(at),
      });
      previous = h.state;
      const emit = { subject: opts.bus.subjects.mailboxStatusChanged, schema: MailboxStatusChangedSchema, event, msgId: `mailbox-status:${id}:${at}:${h.state}` };
      await publishEvent(opts.bus, emit, { tenantId });
    },
  };
}
