/**
 * The mailbox settings a filing reads: what to do with machine-made mail
 * (settings.classification) and the auto-response context. A backfill files
 * thousands of emails of one mailbox a minute and would read the same row for
 * each, so the handler keeps them for a few seconds per process. Settings
 * change rarely and by hand; a change is seen within SETTINGS_TTL_MS.
 */
import {
  getAutoResponseContext,
  getClassificationSettings,
  type AutoResponseContext,
  type ClassificationSettings,
  type Queryable,
} from '@postroom/db';

export const SETTINGS_TTL_MS = 5_000;

export interface MailboxSettingsReader {
  classification(q: Queryable, tenantId: string, mailboxId: string): Promise<ClassificationSettings>;
  /** Undefined when the mailbox does not exist. */
  autoResponse(q: Queryable, tenantId: string, mailboxId: string): Promise<AutoResponseContext | undefined>;
}

/** Reads every time (no cache). */
export const uncachedSettings: MailboxSettingsReader = {
  classification: getClassificationSettings,
  autoResponse: getAutoResponseContext,
};

/** Keeps each loaded value for `ttlMs`; a failed load is not kept. Bounded, oldest entry first out. */
export function ttlCache<V>(ttlMs: number, now: () => number = Date.now, maxEntries = 10_000) {
  const entries = new Map<string, { value: V; expires: number }>();
  return async (key: string, load: () => Promise<V>): Promise<V> => {
    const hit = entries.get(key);
    if (hit && hit.expires > now()) return hit.value;
    const value = await load();
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, { value, expires: now() + ttlMs });
    return value;
  };
}

/** Per tenant and mailbox, for `ttlMs`. */
export function cachedSettings(ttlMs = SETTINGS_TTL_MS, now: () => number = Date.now): MailboxSettingsReader {
  const classification = ttlCache<ClassificationSettings>(ttlMs, now);
  const autoResponse = ttlCache<AutoResponseContext | undefined>(ttlMs, now);
  return {
    classification: (q, tenantId, mailboxId) =>
      classification(`${tenantId}/${mailboxId}`, () => getClassificationSettings(q, tenantId, mailboxId)),
    autoResponse: (q, tenantId, mailboxId) =>
      autoResponse(`${tenantId}/${mailboxId}`, () => getAutoResponseContext(q, tenantId, mailboxId)),
  };
}
