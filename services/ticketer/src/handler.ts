/**
 * mail.v1.classified → ticket rows → ticket events. Takes the body document
 * from the event when the parser carried it inline, else reads its blob;
 * files the email in a transaction (shared with the emails waiting beside
 * it, filing-batch.ts), and returns the events; the bus publishes them after
 * the commit and acks the input after their PubAcks.
 */
import type { Emit, StageContext } from '@postroom/bus';
import type { MailClassified } from '@postroom/contracts';
import { readMailBody } from '@postroom/mail';
import { isUniqueViolation } from '@postroom/db';
import { RetryableError, TerminalError } from '@postroom/errors';
import { buildEmits, filedOnTicket } from './emits';
import { fileMail, lookUpBatch, type Filed } from './file-mail';
import { createFilingBatch } from './filing-batch';
import { toInboundMail } from './inbound-mail';
import { cachedSettings } from './mailbox-settings';
import { DEFAULT_POLICY, type TicketerDeps } from './ports';

/** SQLSTATE 23503 foreign_key_violation: the tenant or mailbox of the event does not exist. */
const isForeignKeyViolation = (err: unknown): boolean => {
  const e = err as { code?: string; driverError?: { code?: string } };
  return (e?.code ?? e?.driverError?.code) === '23503';
};

/** What an operator may need from a filing: loop caps that held, suppressions written, settings ignored. */
function logFiling(ctx: StageContext | undefined, filed: Filed): void {
  const skipped = filed.autoResponseSkipped;
  if (skipped) ctx?.logger[skipped.startsWith('rate cap') ? 'warn' : 'debug']({ reason: skipped }, 'no auto-response');
  if (filed.suppressed?.length) ctx?.logger.info({ addresses: filed.suppressed, bounced: filed.bounced?.id }, 'hard bounce: recipients suppressed');
  if (filed.settingsProblems) ctx?.logger.warn({ problems: filed.settingsProblems }, 'mailbox classification settings ignored');
}

export const createHandler = (deps: TicketerDeps) => {
  const policy = deps.policy ?? DEFAULT_POLICY;
  const clock = deps.clock ?? (() => new Date());
  const settings = cachedSettings();
  const file = createFilingBatch({
    db: deps.db,
    file: (tx, mail, batch) => fileMail(tx, mail, policy, clock(), settings, batch),
    lookUp: (tx, mails) => lookUpBatch(tx, mails, policy),
  });
  return async (e: MailClassified, ctx?: StageContext): Promise<Emit[]> => {
    const mail = toInboundMail(e, await readMailBody(e.parsed, deps.blobs));
    try {
      const filed = await file(mail);
      logFiling(ctx, filed);
      if (filed.duplicate) ctx?.logger.info({ messageId: filed.message.id }, 'duplicate email; republishing its events');
      const mailboxId = filed.message.mailboxId;
      const afterFiled = filedOnTicket(filed) && !!mailboxId && (await settings.afterFiled(deps.db, mail.tenantId, mailboxId));
      return buildEmits(deps.subjects, mail, filed, afterFiled);
    } catch (err) {
      // A concurrent filing of the same email won a unique key the locks did not cover: the retry sees it as a duplicate.
      if (isUniqueViolation(err)) throw new RetryableError('FILING_CONFLICT', 'concurrent filing of the same email', { cause: err });
      if (isForeignKeyViolation(err)) {
        throw new TerminalError('UNKNOWN_MAILBOX', `tenant ${mail.tenantId} or mailbox ${mail.mailboxId} does not exist`, { cause: err });
      }
      throw err;
    }
  };
};
