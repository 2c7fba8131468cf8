/**
 * The mailbox-actions stage (issue 3 item 8): the source mailbox is left
 * untouched unless the mailbox's settings ask for `afterFiled` { markSeen,
 * moveTo }; then, once the ticketer has filed the message on a ticket
 * and handed it on (`work.v1.apply_after_filed`, the message_added payload,
 * published after its transaction committed and only for mailboxes whose
 * settings name afterFiled), the source message is marked \Seen and/or
 * moved. Mail stored without a ticket (spam, lists, loops) is not handed on
 * and stays where it is, so nobody's Junk folder fills up behind their back. Runs inside the
 * fetcher, which holds the mailboxes' IMAP connections; publishes nothing.
 */
import type { Emit, StageContext } from '@postroom/bus';
import { Direction, type TicketMessageAdded } from '@postroom/contracts';
import { describeError, TerminalError } from '@postroom/errors';
import { parseImapSettings, type AfterFiledSettings } from '@postroom/imap';
import type { FiledMessages, MailboxSettings, SourceMailbox } from './ports';

export interface MailboxActionsDeps {
  filed: FiledMessages;
  source: SourceMailbox;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actions the mailbox asks for, or undefined when its source mail stays untouched. */
export function afterFiledOf(message: MailboxSettings): AfterFiledSettings | undefined {
  // Most mailboxes ask for nothing: decide that before validating the rest of their settings.
  if (message.provider !== 'imap' || !(message.settings as { afterFiled?: unknown } | null)?.afterFiled) return undefined;
  let after: AfterFiledSettings | undefined;
  try {
    after = parseImapSettings(message.settings).afterFiled;
  } catch (err) {
    throw new TerminalError('CONFIG_INVALID', describeError(err), { cause: err });
  }
  return after && (after.markSeen || after.moveTo) ? after : undefined;
}

export const createMailboxActionsHandler = (deps: MailboxActionsDeps) => async (e: TicketMessageAdded, ctx: StageContext): Promise<Emit[]> => {
  const tenantId = e.ticket?.tenantId ?? '';
  if (!tenantId || !UUID.test(e.messageId)) throw new TerminalError('INVALID_EVENT', 'filed message without tenant or message row id');
  if (e.direction !== Direction.INBOUND) return [];
  // The row and its mailbox are read afresh: the settings may have changed since the ticketer handed the message on.
  const message = await deps.filed.find(tenantId, e.messageId);
  if (!message) {
    ctx.logger.warn({ messageRowId: e.messageId }, 'filed message or its mailbox no longer exists; nothing to act on');
    return [];
  }
  const after = afterFiledOf(message);
  if (!after || !message.source) return [];
  const ref = { tenantId, mailboxId: message.mailboxId, ...message.source };
  const outcome = await deps.source.apply(ref, { markSeen: after.markSeen, moveTo: after.moveTo });
  const where = { folder: ref.folder, uidValidity: ref.uidValidity, uid: ref.uid };
  if (outcome === 'uidvalidity-changed') {
    // RFC 3501 §2.3.1.1: with a new UIDVALIDITY the stored UID names nothing any more.
    ctx.logger.warn(where, 'source folder UIDVALIDITY changed; the message is no longer addressable, skipping afterFiled');
  } else if (outcome === 'gone') {
    ctx.logger.info(where, 'source message already gone from its folder; afterFiled has nothing left to do');
  } else {
    ctx.logger.info({ ...where, ...after }, 'afterFiled applied to the source message');
  }
  return [];
};
