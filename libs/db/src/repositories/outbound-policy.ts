/**
 * The facts an auto-response decision needs from the database: is this
 * address on the suppression list (a permanent bounce of mail we sent), and
 * how many automatic replies did it, or the ticket, get. Counts are read
 * from message rows, so the ledger is the messages table itself and nothing
 * can drift out of sync.
 */
import { queryRows, type Queryable } from './messages';
import { findActiveSuppressions } from './suppressions';

/**
 * True when the address is on the suppression list at `at`. Only bounces
 * linked to a message we sent write that list: a forged DSN naming an
 * address cannot silence it.
 */
export async function isHardBounced(q: Queryable, tenantId: string, address: string, at: Date = new Date()): Promise<boolean> {
  return (await findActiveSuppressions(q, tenantId, [address], at)).length > 0;
}

export interface AutoResponseLedger {
  /** The address is on the suppression list at `at`. */
  suppressed: boolean;
  /** Automatic outbound messages ever sent on the ticket. */
  onTicket: number;
  /** Automatic outbound messages to the address since each of `since`, in that order. */
  sent: number[];
}

/**
 * Everything the auto-responder's loop guards ask for a new ticket, in one
 * round trip: is the address suppressed, how many automatic mails the ticket
 * ever got, and how many went to the address since each window's start
 * (any mailbox of the tenant).
 */
export async function getAutoResponseLedger(
  q: Queryable,
  tenantId: string,
  x: { address: string; ticketId: string; since: Date[]; at: Date },
): Promise<AutoResponseLedger> {
  const address = x.address.trim().toLowerCase();
  const rows = await queryRows<AutoResponseLedger>(
    q,
    `SELECT EXISTS (SELECT 1 FROM suppressions WHERE tenant_id = $1 AND address = $2 AND expires_at > $4) AS suppressed,
            (SELECT count(*)::int FROM messages
              WHERE tenant_id = $1 AND ticket_id = $3 AND direction = 'outbound' AND automatic) AS "onTicket",
            ARRAY(SELECT (SELECT count(*)::int FROM messages
                           WHERE tenant_id = $1 AND direction = 'outbound' AND automatic AND created_at >= w.since
                             AND "to" @> jsonb_build_array(jsonb_build_object('address', $2::text)))
                    FROM unnest($5::timestamptz[]) WITH ORDINALITY AS w(since, n) ORDER BY w.n) AS sent`,
    [tenantId, address, x.ticketId, x.at, x.since],
  );
  return rows[0];
}

/** Per-mailbox auto-response settings (mailboxes.settings.autoResponse). */
export interface AutoResponseSettings {
  enabled: boolean;
  /** Template; default `Re: <ticket subject> [#N]`. */
  subject?: string;
  text: string;
  html?: string;
}

export interface AutoResponseContext {
  mailbox: { id: string; name: string; address: string; displayName: string | null };
  organisationName: string;
  settings: AutoResponseSettings | undefined;
}

/** The mailbox, its auto-response settings and the tenant's name. */
export async function getAutoResponseContext(
  q: Queryable,
  tenantId: string,
  mailboxId: string,
): Promise<AutoResponseContext | undefined> {
  const rows = await queryRows<{ id: string; name: string; address: string; displayName: string | null; settings: Record<string, unknown>; organisationName: string }>(
    q,
    `SELECT m.id, m.name, m.address, m.display_name AS "displayName", m.settings, t.name AS "organisationName"
       FROM mailboxes m JOIN tenants t ON t.id = m.tenant_id
      WHERE m.tenant_id = $1 AND m.id = $2`,
    [tenantId, mailboxId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const auto = row.settings?.autoResponse as Partial<AutoResponseSettings> | undefined;
  return {
    mailbox: { id: row.id, name: row.name, address: row.address, displayName: row.displayName },
    organisationName: row.organisationName,
    settings: auto && typeof auto.text === 'string' ? { ...auto, enabled: auto.enabled === true, text: auto.text } : undefined,
  };
}
