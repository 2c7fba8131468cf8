/**
 * What a mailbox does with each kind of machine-made mail
 * (`mailboxes.settings.classification`), and its spam-engine threshold:
 *
 *   { "spam": "store", "bounce": "attach", "auto_reply": "ticket", "spamThreshold": 8 }
 *
 * `store`: a message row on no ticket. `attach`: joins the ticket it relates
 * to (a bounce: the ticket of our bounced message; others: by their thread
 * ids) without opening or reopening one, else stored. `ticket`: filed like
 * a customer's mail (joins and reopens, or opens a ticket) but never
 * auto-answered. Missing keys take the defaults, which are what Postroom did
 * before the setting existed; a value a kind does not allow is reported and
 * replaced by the default, so one bad setting never stops the pipeline.
 */
import { queryRows, type Queryable } from './messages';

/** The kinds a mailbox can configure, as stored in messages.kind. */
export const CONFIGURABLE_KINDS = [
  'spam', 'bounce', 'delivery_delay', 'read_receipt', 'feedback_report', 'loop', 'out_of_office', 'auto_reply', 'bulk',
] as const;
export type ConfigurableKind = (typeof CONFIGURABLE_KINDS)[number];
export type KindAction = 'attach' | 'store' | 'ticket';

/**
 * Spam and loops never attach: a spammer can forge In-Reply-To to land on
 * any ticket, and a loop is not part of a conversation.
 */
export const ALLOWED_ACTIONS: Readonly<Record<ConfigurableKind, readonly KindAction[]>> = {
  spam: ['store', 'ticket'],
  loop: ['store', 'ticket'],
  bounce: ['attach', 'store', 'ticket'],
  delivery_delay: ['attach', 'store', 'ticket'],
  read_receipt: ['attach', 'store', 'ticket'],
  feedback_report: ['store', 'attach', 'ticket'],
  out_of_office: ['attach', 'store', 'ticket'],
  auto_reply: ['attach', 'store', 'ticket'],
  bulk: ['store', 'attach', 'ticket'],
};

/** The first allowed action of each kind: today's behaviour. */
export const DEFAULT_KIND_ACTIONS: Readonly<Record<ConfigurableKind, KindAction>> = Object.fromEntries(
  CONFIGURABLE_KINDS.map((k) => [k, ALLOWED_ACTIONS[k][0]]),
) as Record<ConfigurableKind, KindAction>;

export interface ClassificationSettings {
  actions: Record<ConfigurableKind, KindAction>;
  /** Spam-engine (rspamd) score at or above which this mailbox's mail is spam; unset: the engine's own action decides. */
  spamThreshold?: number;
  /** Settings that were ignored, e.g. `spam: "attach" is not one of store, ticket`. */
  problems: string[];
}

/** Reads `settings.classification`; never throws. */
export function parseClassificationSettings(settings: unknown): ClassificationSettings {
  const raw = (settings as { classification?: unknown } | null)?.classification;
  const given = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const actions = { ...DEFAULT_KIND_ACTIONS };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (key === 'spamThreshold') continue;
    const kind = key as ConfigurableKind;
    if (!CONFIGURABLE_KINDS.includes(kind)) problems.push(`unknown kind ${JSON.stringify(key)}`);
    else if (!ALLOWED_ACTIONS[kind].includes(value as KindAction)) {
      problems.push(`${key}: ${JSON.stringify(value)} is not one of ${ALLOWED_ACTIONS[kind].join(', ')}`);
    } else actions[kind] = value as KindAction;
  }
  const threshold = given.spamThreshold;
  if (threshold !== undefined && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
    problems.push(`spamThreshold: ${JSON.stringify(threshold)} is not a number`);
  }
  return { actions, problems, ...(typeof threshold === 'number' && Number.isFinite(threshold) ? { spamThreshold: threshold } : {}) };
}

/** The classification settings of a mailbox; the defaults when it has none (or does not exist). */
export async function getClassificationSettings(q: Queryable, tenantId: string, mailboxId: string): Promise<ClassificationSettings> {
  const rows = await queryRows<{ settings: unknown }>(
    q,
    `SELECT settings FROM mailboxes WHERE tenant_id = $1 AND id = $2`,
    [tenantId, mailboxId],
  );
  return parseClassificationSettings(rows[0]?.settings);
}
