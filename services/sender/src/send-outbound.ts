/**
 * One send job, as a state machine on the message row (see
 * libs/db outbound-status.ts). The row is claimed (pending → sending) before
 * the SMTP conversation, so a redelivered job never sends twice; a row found
 * still 'sending' may already be in the customer's inbox, so it becomes
 * 'unknown' for a person to decide. Once the server answered 250, nothing
 * here puts the row back to pending: if recording 'sent' fails, the row stays
 * 'sending' and the redelivery flags it instead of sending again.
 */
import type { StageContext } from '@postroom/bus';
import type { OutboundRequested } from '@postroom/contracts';
import {
  claimOutbound,
  getMailbox,
  listMessageAttachments,
  markOutboundFailed,
  markOutboundSent,
  markOutboundUnknown,
  readMailboxCredentials,
  releaseOutbound,
  type MessageRow,
  type SuppressionRow,
} from '@postroom/db';
import { RetryableError, TerminalError, describeError } from '@postroom/errors';
import { buildMail } from './build-mail';
import { classifySmtpError } from './classify-smtp-error';
import { parseSmtpSettings } from './smtp-settings';
import { describeSuppressed, dropSuppressed } from './suppressed-recipients';
import type { OutgoingMail, SenderDeps, SmtpAuth, SmtpServer } from './ports';

/** The outcome a send job reports; the handler turns it into events. */
export type SendOutcome =
  | { status: 'sent'; message: MessageRow; response: string }
  | { status: 'failed'; message: MessageRow; code: string; reason: string };

const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

interface Prepared {
  server: SmtpServer;
  auth?: SmtpAuth;
  mail: OutgoingMail;
  /** Recipients left out because they are suppressed. */
  dropped: SuppressionRow[];
}

/** Everything one send needs, read before the SMTP conversation; suppressed recipients are left out. */
async function prepare(deps: SenderDeps, row: MessageRow, now: Date): Promise<Prepared> {
  const { message: m, dropped } = await dropSuppressed(deps.db, row, now);
  const mailbox = await getMailbox(deps.db, m.tenantId, m.mailboxId);
  if (!mailbox) throw new TerminalError('MAILBOX_NOT_FOUND', `mailbox ${m.mailboxId} does not exist`);
  const server = parseSmtpSettings(mailbox.settings, mailbox.address);
  const credentials = await readMailboxCredentials(deps.db, deps.secrets, m.tenantId, m.mailboxId);
  const rows = (await listMessageAttachments(deps.db, m.tenantId, m.id)).filter((a) => !a.blockedReason);
  const attachments = await Promise.all(
    rows.map(async (a) => ({ ...a, content: Buffer.from(await deps.blobs.get(a.blobKey)) })),
  );
  const mail = buildMail({ message: m, mailbox, attachments });
  return { server, auth: credentials.smtp, mail, dropped };
}

/** A row that could not be claimed: report what it already is, or flag it when an attempt may be in flight. */
async function settled(deps: SenderDeps, req: OutboundRequested, m: MessageRow | undefined): Promise<SendOutcome | undefined> {
  if (!m || m.direction !== 'outbound') {
    throw new TerminalError('MESSAGE_NOT_FOUND', `outbound message ${req.messageId} of tenant ${req.tenantId} does not exist`);
  }
  switch (m.sendStatus) {
    case 'sending': {
      const reason = 'an earlier attempt was interrupted after it started; the server may have accepted it';
      await markOutboundUnknown(deps.db, m.tenantId, m.id, reason);
      return { status: 'failed', message: { ...m, sendStatus: 'unknown' }, code: OUTCOME_UNKNOWN, reason };
    }
    case 'unknown':
      return { status: 'failed', message: m, code: OUTCOME_UNKNOWN, reason: m.sendError ?? 'outcome unknown' };
    case 'failed':
      return { status: 'failed', message: m, code: 'SEND_FAILED', reason: m.sendError ?? 'failed' };
    case 'sent':
      return { status: 'sent', message: m, response: '' };
    default:
      throw new RetryableError('SEND_STATE_RACE', `outbound message ${m.id} is ${m.sendStatus}; retrying`);
  }
}

/** Records a failed attempt: retryable ones go back to pending (unless this was the last delivery). */
async function failed(deps: SenderDeps, m: MessageRow, err: unknown, ctx?: StageContext): Promise<SendOutcome> {
  const classified = classifySmtpError(err);
  const reason = describeError(classified);
  if (classified instanceof RetryableError && !ctx?.lastDelivery) {
    await releaseOutbound(deps.db, m.tenantId, m.id, reason);
    throw classified;
  }
  const row = (await markOutboundFailed(deps.db, m.tenantId, m.id, reason)) ?? m;
  return { status: 'failed', message: { ...row, sendStatus: 'failed' }, code: classified.code, reason };
}

/** Runs one send job to its outcome; undefined is never returned for a claimed row. */
export async function sendOutbound(deps: SenderDeps, req: OutboundRequested, ctx?: StageContext): Promise<SendOutcome | undefined> {
  const clock = deps.clock ?? (() => new Date());
  const claim = await claimOutbound(deps.db, req.tenantId, req.messageId);
  if (!claim.claimed) return settled(deps, req, claim.message);
  const m = claim.message;
  let prepared: Prepared;
  try {
    prepared = await prepare(deps, m, clock());
  } catch (err) {
    const known = err instanceof RetryableError || err instanceof TerminalError;
    return failed(deps, m, known ? err : new RetryableError('SEND_PREPARE_FAILED', describeError(err), { cause: err }), ctx);
  }
  let response: string;
  try {
    ctx?.working();
    response = (await deps.transport.send(prepared.server, prepared.auth, prepared.mail)).response;
  } catch (err) {
    return failed(deps, m, err, ctx);
  }
  const note = prepared.dropped.length > 0 ? `not sent to suppressed recipients: ${describeSuppressed(prepared.dropped)}` : null;
  if (note) ctx?.logger.warn({ messageId: m.id, suppressed: prepared.dropped.map((r) => r.address) }, 'suppressed recipients left out');
  const sentAt = clock();
  const row = await markOutboundSent(deps.db, m.tenantId, m.id, sentAt, note);
  return { status: 'sent', message: row ?? { ...m, sendStatus: 'sent', sentAt, sendError: note }, response };
}
