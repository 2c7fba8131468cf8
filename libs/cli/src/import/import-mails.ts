/**
 * Feeds an archive into the pipeline the way ingress feeds live mail: the raw
 * bytes go to the blob store (content-addressed, so a repeat is a no-op),
 * then a MailPointer that already carries them is published on
 * mail.v1.pointer.import; the fetcher passes such pointers straight on. The
 * mail id is derived from mailbox and content (`content` identity), so
 * re-running an import republishes the same `pointer:<mailId>` msg ids:
 * JetStream reports them as duplicates within its 2-minute window, and the
 * ticketer's unique (tenant, mail_id) catches any later repeat. Pointers are
 * marked `imported`, so no auto-response goes out for a backlog.
 */
import { publishEvent, type Bus } from '@postroom/bus';
import { rawMailKey, sha256Hex, type BlobStore } from '@postroom/blob';
import { create, mailIdOf, MailPointerSchema, Provider, type MailPointer } from '@postroom/contracts';
import { describeError } from '@postroom/errors';
import type { SourceMail } from './source-mail';

export interface ImportTarget {
  tenantId: string;
  mailboxId: string;
}

export interface ImportSummary {
  /** Messages taken from the archive so far. */
  read: number;
  imported: number;
  /** Publishes JetStream recognised as repeats (PubAck `duplicate`). */
  duplicates: number;
  failed: Array<{ label: string; reason: string }>;
}

export interface ImportOptions {
  bus: Bus;
  blobs: BlobStore;
  target: ImportTarget;
  mails: AsyncIterable<SourceMail>;
  /** Messages in flight (blob put + awaited PubAck) at once; 16 by default. */
  concurrency?: number;
  /** Called after each message is done, with the running totals. */
  onProgress?: (summary: Readonly<ImportSummary>) => void;
  now?: () => number;
}

/** The pointer for one imported message whose raw bytes are stored under `raw`. */
export function importPointer(target: ImportTarget, raw: { key: string; size: number; sha256: string }, observedAtMs: number): MailPointer {
  const mailId = mailIdOf({ kind: 'content', mailboxId: target.mailboxId, sha256: raw.sha256 });
  return create(MailPointerSchema, {
    mail: {
      tenantId: target.tenantId,
      mailboxId: target.mailboxId,
      mailId,
      source: { provider: Provider.IMPORT, providerMessageId: raw.sha256, sizeHint: BigInt(raw.size) },
      observedAtMs: BigInt(observedAtMs),
      imported: true,
    },
    raw: { key: raw.key, size: BigInt(raw.size), sha256: raw.sha256 },
  });
}

async function importOne(opts: ImportOptions, mail: SourceMail): Promise<'imported' | 'duplicate'> {
  const bytes = await mail.read();
  if (bytes.byteLength === 0) throw new Error('empty message');
  const { tenantId } = opts.target;
  const sha256 = sha256Hex(bytes);
  const ref = await opts.blobs.put(rawMailKey(tenantId, sha256), bytes, { contentType: 'message/rfc822' });
  const event = importPointer(opts.target, ref, (opts.now ?? Date.now)());
  const subject = opts.bus.subjects.mailPointer('import');
  const ack = await publishEvent(opts.bus, { subject, schema: MailPointerSchema, event, msgId: `pointer:${event.mail!.mailId}` }, { tenantId });
  return ack.duplicate ? 'duplicate' : 'imported';
}

/** Imports every message of `opts.mails`; a failing message is reported in the summary and the rest go on. */
export async function importMails(opts: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = { read: 0, imported: 0, duplicates: 0, failed: [] };
  const limit = opts.concurrency ?? 16;
  const running = new Set<Promise<void>>();
  const track = (mail: SourceMail) => {
    const done: Promise<void> = importOne(opts, mail)
      .then(
        (outcome) => void (outcome === 'imported' ? (summary.imported += 1) : (summary.duplicates += 1)),
        (err: unknown) => void summary.failed.push({ label: mail.label, reason: describeError(err) }),
      )
      .finally(() => {
        running.delete(done);
        opts.onProgress?.(summary);
      });
    running.add(done);
  };
  try {
    for await (const mail of opts.mails) {
      summary.read += 1;
      track(mail);
      // Backpressure: the archive is read no faster than messages are stored and acked.
      while (running.size >= limit) await Promise.race(running);
    }
  } catch (err) {
    summary.failed.push({ label: `reading stopped after ${summary.read} messages`, reason: describeError(err) });
  } finally {
    await Promise.all([...running]);
  }
  return summary;
}
