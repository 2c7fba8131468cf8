/**
 * The stable identity of an email in the pipeline. Every stage derives its
 * Nats-Msg-Id from it (`<stage>:<mailId>`), so a pointer that is published
 * twice (an IDLE burst and a reconcile sweep, say) is one email downstream.
 */
import { createHash } from 'node:crypto';

export type MailIdentity =
  | { kind: 'imap'; mailboxId: string; folder: string; uidValidity: number; uid: number }
  | { kind: 'provider'; mailboxId: string; providerMessageId: string }
  | { kind: 'content'; mailboxId: string; sha256: string };

/** 32 hex chars: SHA-256 of the identity's canonical form, truncated. */
export function mailIdOf(identity: MailIdentity): string {
  const canonical =
    identity.kind === 'imap'
      ? ['imap', identity.mailboxId, identity.folder, identity.uidValidity, identity.uid]
      : identity.kind === 'provider'
        ? ['provider', identity.mailboxId, identity.providerMessageId]
        : ['content', identity.mailboxId, identity.sha256];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}
