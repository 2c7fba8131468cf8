/**
 * Finds the ticket an email belongs to, strongest evidence first: thread
 * keys (own Message-ID, In-Reply-To, References newest first, provider
 * thread), then the subject tag, accepted only from a participant or the
 * requester's domain. Runs inside the filing transaction, after the thread
 * keys are locked, so what it reads cannot change before the insert.
 */
import {
  findThreadTickets,
  findTicketTags,
  getTicket,
  getTicketByNumber,
  listParticipants,
  ticketTag,
  type Queryable,
  type TicketRow,
} from '@postroom/db';
import type { InboundMail } from './inbound-mail';
import { checkTagSender } from './subject-tag';
import { candidateKeys, firstMatch } from './thread-keys';

export type MatchedByName = 'NEW_TICKET' | 'IN_REPLY_TO' | 'REFERENCES' | 'SUBJECT_TAG' | 'PROVIDER_THREAD' | 'BOUNCE';

export interface ThreadMatch {
  /** Undefined: a new conversation (matchedBy NEW_TICKET). */
  ticket?: TicketRow;
  matchedBy: MatchedByName;
  /** Why, in words, including tags that were refused. */
  detail: string;
}

/**
 * Matches by thread keys only (what automated mail may use). `known` is the
 * thread-key lookup when the caller already made it (lookUpFiling), after
 * the locks; else it is read here.
 */
export async function matchByKeys(q: Queryable, mail: InboundMail, known?: Map<string, string>): Promise<ThreadMatch | undefined> {
  const candidates = candidateKeys(mail);
  known ??= await findThreadTickets(q, mail.tenantId, candidates.map((c) => c.key));
  const hit = firstMatch(candidates, known);
  if (!hit) return undefined;
  const ticket = await getTicket(q, mail.tenantId, hit.ticketId);
  return ticket ? { ticket, matchedBy: hit.matchedBy, detail: hit.detail } : undefined;
}

/** Matches by the subject's ticket tags, checking who may use them. */
export async function matchBySubjectTag(q: Queryable, mail: InboundMail, tagFormat: string): Promise<ThreadMatch> {
  const refused: string[] = [];
  for (const number of new Set(findTicketTags(mail.subject, tagFormat))) {
    const tag = ticketTag(number, tagFormat);
    const ticket = await getTicketByNumber(q, mail.tenantId, number);
    if (!ticket) {
      refused.push(`subject tag ${tag} ignored: no such ticket`);
      continue;
    }
    const participants = await listParticipants(q, mail.tenantId, ticket.id);
    const check = checkTagSender(tag, mail.from?.address, { participants, requesterAddress: ticket.requesterAddress });
    if (check.accepted) return { ticket, matchedBy: 'SUBJECT_TAG', detail: check.detail };
    refused.push(check.detail);
  }
  return { matchedBy: 'NEW_TICKET', detail: refused.length > 0 ? refused.join('; ') : 'new conversation' };
}

/** The ticket a customer's email belongs to, or a NEW_TICKET verdict with the reason. */
export async function matchThread(
  q: Queryable,
  mail: InboundMail,
  tagFormat: string,
  known?: Map<string, string>,
): Promise<ThreadMatch> {
  return (await matchByKeys(q, mail, known)) ?? matchBySubjectTag(q, mail, tagFormat);
}
