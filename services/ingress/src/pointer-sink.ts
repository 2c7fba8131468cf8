/**
 * Pointers onto JetStream, through @postroom/bus only. Each pointer's msgId
 * is `pointer:<mailId>` with the mail id derived from (mailbox, folder,
 * UIDVALIDITY, UID), so a UID published twice (a restart, an IDLE burst and
 * a reconcile) is deduplicated by JetStream and, past its window, downstream.
 */
import { publishEvent, type Bus } from '@postroom/bus';
import { create, mailIdOf, MailPointerSchema, Provider, type MailPointer } from '@postroom/contracts';
import type { NewPointer, PointerSink } from './ports';

export interface PointerSinkOptions {
  bus: Bus;
  mailbox: { tenantId: string; id: string };
  /** Publishes in flight at once; every one is awaited before `publish` resolves. */
  concurrency?: number;
  now?: () => number;
}

/** The MailPointer event for one IMAP UID. */
export function imapPointer(mailbox: { tenantId: string; id: string }, p: NewPointer, observedAtMs: number): MailPointer {
  const mailId = mailIdOf({ kind: 'imap', mailboxId: mailbox.id, folder: p.folder, uidValidity: p.uidValidity, uid: p.uid });
  return create(MailPointerSchema, {
    mail: {
      tenantId: mailbox.tenantId,
      mailboxId: mailbox.id,
      mailId,
      source: {
        provider: Provider.IMAP,
        folder: p.folder,
        uidValidity: p.uidValidity,
        uid: p.uid,
        sizeHint: BigInt(p.size),
        providerLabels: p.labels,
      },
      observedAtMs: BigInt(observedAtMs),
      imported: p.imported,
    },
  });
}

export function createPointerSink(opts: PointerSinkOptions): PointerSink {
  const concurrency = opts.concurrency ?? 32;
  const now = opts.now ?? Date.now;
  const subject = opts.bus.subjects.mailPointer('imap');
  const publishOne = (p: NewPointer) => {
    const event = imapPointer(opts.mailbox, p, now());
    const emit = { subject, schema: MailPointerSchema, event, msgId: `pointer:${event.mail!.mailId}` };
    return publishEvent(opts.bus, emit, { tenantId: opts.mailbox.tenantId });
  };
  return {
    async publish(pointers) {
      for (let i = 0; i < pointers.length; i += concurrency) {
        await Promise.all(pointers.slice(i, i + concurrency).map(publishOne));
      }
    },
  };
}
