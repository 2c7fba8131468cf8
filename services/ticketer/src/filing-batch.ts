/**
 * Files the emails that wait together in one transaction. Each filing of its
 * own pays a BEGIN, a COMMIT with its WAL flush, and, for a new ticket, holds
 * the tenant's row (the ticket number) until that commit, so one tenant's new
 * tickets commit one at a time however many ticketers run. A batch takes
 * every thread-key lock of its emails up front in one sorted statement, looks
 * up their duplicates and threads in one more (lookupsThatHold says which
 * answers the batch's earlier filings cannot have changed), files the emails
 * tenant by tenant (so it takes tenant rows in one global order), keeping
 * their order within a tenant, and commits once; two batches therefore
 * cannot deadlock on those locks. Each handler then publishes its own
 * email's events and acks.
 *
 * Under light load nothing waits: an email is filed at once, alone. Emails
 * queue only while `maxConcurrent` transactions are running, and the next
 * transaction takes up to `maxBatch` of them. When anything in a batch fails
 * (an email the database refuses, a deadlock with another ticketer), the
 * transaction rolls back as a whole and each email is filed again alone, so
 * each gets its own outcome and nothing is committed twice.
 */
import { context, type Context } from '@opentelemetry/api';
import { inTransaction, lockTenantKeys, type DataSource, type FilingLookup, type Queryable } from '@postroom/db';
import type { Filed, InBatch } from './file-mail';
import type { InboundMail } from './inbound-mail';
import { threadKeysOf } from './thread-keys';

/** Files one email in the transaction `q`; `batch` when it is filed inside a batch (locks held, maybe looked up). */
export type FileOne = (q: Queryable, mail: InboundMail, batch?: InBatch) => Promise<Filed>;

export interface FilingBatchOptions {
  db: DataSource;
  file: FileOne;
  /** The duplicate check and thread lookup of several emails in one round trip (file-mail.ts, lookUpBatch). */
  lookUp: (q: Queryable, mails: InboundMail[]) => Promise<FilingLookup[]>;
  /** Emails per transaction at most. */
  maxBatch?: number;
  /** Transactions in flight at once; emails queue only while all are busy. */
  maxConcurrent?: number;
}

interface Job {
  mail: InboundMail;
  /** The handler's trace context: the email's own statements run in its trace. */
  context: Context;
  resolve(filed: Filed): void;
  reject(err: unknown): void;
}

const fileAlone = (db: DataSource, file: FileOne, job: Job): Promise<void> =>
  context.with(job.context, () => inTransaction(db, (q) => file(q, job.mail))).then(job.resolve, job.reject);

/**
 * Whether an email's batch lookup still holds when it is filed: not if an
 * email before it in the batch (of its tenant) shares a thread key with it,
 * its own Message-ID included, or has its mail id, since that email's rows
 * may be what it looks for. Such an email looks up again, alone.
 */
function lookupsThatHold(mails: InboundMail[]): boolean[] {
  const written = new Set<string>();
  return mails.map((mail) => {
    const mine = [...threadKeysOf(mail).map((k) => `${mail.tenantId} key ${k}`), `${mail.tenantId} mail ${mail.mailId}`];
    const holds = mine.every((k) => !written.has(k));
    mine.forEach((k) => written.add(k));
    return holds;
  });
}

const byTenant = (a: Job, b: Job): number => (a.mail.tenantId < b.mail.tenantId ? -1 : a.mail.tenantId > b.mail.tenantId ? 1 : 0);

async function fileTogether(opts: FilingBatchOptions, jobs: Job[]): Promise<void> {
  const batch = [...jobs].sort(byTenant); // stable: arrival order within a tenant
  const mails = batch.map((j) => j.mail);
  let filed: Filed[];
  try {
    filed = await inTransaction(opts.db, async (q) => {
      await lockTenantKeys(q, mails.flatMap((m) => threadKeysOf(m).map((key) => ({ tenantId: m.tenantId, key }))));
      const lookups = await opts.lookUp(q, mails);
      const holds = lookupsThatHold(mails);
      const out: Filed[] = [];
      for (const [i, job] of batch.entries()) {
        out.push(await context.with(job.context, () => opts.file(q, job.mail, { lookup: holds[i] ? lookups[i] : undefined })));
      }
      return out;
    });
  } catch {
    // Nothing of the batch was committed (or, if only the COMMIT's answer was lost, each email is
    // found as a duplicate and its first filing's rows come back): each email alone, for its own outcome.
    await Promise.all(batch.map((job) => fileAlone(opts.db, opts.file, job)));
    return;
  }
  batch.forEach((job, i) => job.resolve(filed[i]));
}

/** Returns `file(mail)`: resolves with the filing once its transaction has committed. */
export function createFilingBatch(opts: FilingBatchOptions): (mail: InboundMail) => Promise<Filed> {
  const maxBatch = opts.maxBatch ?? 16;
  const maxConcurrent = opts.maxConcurrent ?? 2;
  const waiting: Job[] = [];
  let running = 0;
  const start = () => {
    while (running < maxConcurrent && waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      running += 1;
      const done = batch.length === 1 ? fileAlone(opts.db, opts.file, batch[0]) : fileTogether(opts, batch);
      void done.finally(() => {
        running -= 1;
        start();
      });
    }
  };
  return (mail) =>
    new Promise<Filed>((resolve, reject) => {
      waiting.push({ mail, context: context.active(), resolve, reject });
      start();
    });
}
