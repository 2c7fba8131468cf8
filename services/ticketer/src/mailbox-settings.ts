/**
 * The mailbox settings a filing reads: what to do with machine-made mail
 * (settings.classification), the auto-response context, and whether the
 * source message has an afterFiled action waiting. A backfill files
 * thousands of emails of one mailbox a minute and would read the same row for
 * each, so the handler keeps them for a few seconds per process. Settings
 * change rarely and by hand; a change is seen within SETTINGS_TTL_MS.
 */
import { ttlCache } from '@postroom/service';
import {
  getAutoResponseContext,
  getClassificationSettings,
  type AutoResponseContext,
  type ClassificationSettings,
  type Queryable,
  wantsAfterFiled,
} from '@postroom/db';

export const SETTINGS_TTL_MS = 5_000;

export interface MailboxSettingsReader {
  classification(q: Queryable, tenantId: string, mailboxId: string): Promise<ClassificationSettings>;
  /** Undefined when the mailbox does not exist. */
  autoResponse(q: Queryable, tenantId: string, mailboxId: string): Promise<AutoResponseContext | undefined>;
  /** Whether filed mail of this mailbox goes to the mailbox-actions stage (settings.afterFiled). */
  afterFiled(q: Queryable, tenantId: string, mailboxId: string): Promise<boolean>;
}

/** Reads every time (no cache). */
export const uncachedSettings: MailboxSettingsReader = {
  classification: getClassificationSettings,
  autoResponse: getAutoResponseContext,
  afterFiled: wantsAfterFiled,
};

/** Per tenant and mailbox, for `ttlMs`. */
export function cachedSettings(ttlMs = SETTINGS_TTL_MS, now: () => number = Date.now): MailboxSettingsReader {
  const classification = ttlCache<ClassificationSettings>(ttlMs, now);
  const autoResponse = ttlCache<AutoResponseContext | undefined>(ttlMs, now);
  const afterFiled = ttlCache<boolean>(ttlMs, now);
  return {
    classification: (q, tenantId, mailboxId) =>
      classification(`${tenantId}/${mailboxId}`, () => getClassificationSettings(q, tenantId, mailboxId)),
    autoResponse: (q, tenantId, mailboxId) =>
      autoResponse(`${tenantId}/${mailboxId}`, () => getAutoResponseContext(q, tenantId, mailboxId)),
    afterFiled: (q, tenantId, mailboxId) => afterFiled(`${tenantId}/${mailboxId}`, () => wantsAfterFiled(q, tenantId, mailboxId)),
  };
}
