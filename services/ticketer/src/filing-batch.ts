/**
 * Files the emails that wait together in one transaction. Each filing of its
 * own pays a BEGIN, a COMMIT with its WAL flush, and, for a new ticket, holds
 * the tenant's row (the ticket number) until that commit, so one tenant's new
 * tickets commit one at a time however many ticketers run. A batch takes
 * every thread-key lock of its emails up front in one sorted statement, files
 * the emails tenant by tenant (so it takes tenant rows in one global order),
 * keeping their order within a tenant, and commits once; two batches
 * therefore cannot deadlock on those locks. Each handler then publishes its
 * own email's events and acks.
 *
 * Under light load nothing waits: an email is filed at once, alone. Emails
 * queue only while `maxConcurrent` transactions are running, and the next
 * transaction takes up to `maxBatch` of them. When anything in a batch fails
 * (an email the database refuses, a deadlock with another ticketer), the
 * transaction rolls back as a whole and each email is filed again alone, so
 * each gets its own outcome and nothing is committed twice.
 */
import { context, type Context } from '@opentelemetry/api';
import { inTransaction, lockTenantKeys, type DataSource, type Queryable } from '@postroom/db';
import type { Filed } from './file-mail';
import type { InboundMail } from './inbound-mail';
import { threadKeysOf } from './thread-keys';

/** Files one email in the transaction `q`; `keysLocked` when the batch holds its thread-key locks already. */
export type FileOne = (q: Queryable, mail: InboundMail, keysLocked: boolean) => Promise<Filed>;

export interface FilingBatchOptions {
  db: DataSource;
  file: FileOne;
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
  context.with(job.context, () => inTransaction(db, (q) => file(q, job.mail, false))).then(job.resolve, job.reject);

const byTenant = (a: Job, b: Job): number => (a.mail.tenantId < b.mail.tenantId ? -1 : a.mail.tenantId > b.mail.tenantId ? 1 : 0);

async function fileTogether(db: DataSource, file: FileOne, jobs: Job[]): Promise<void> {
  const batch = [...jobs].sort(byTenant); // stable: arrival order within a tenant
  let filed: Filed[];
  try {
    filed = await inTransaction(db, async (q) => {
      await lockTenantKeys(q, batch.flatMap((j) => threadKeysOf(j.mail).map((key) => ({ tenantId: j.mail.tenantId, key }))));
      const out: Filed[] = [];
      for (const job of batch) out.push(await context.with(job.context, () => file(q, job.mail, true)));
      return out;
    });
  } catch {
    // Nothing of the batch was committed: each email alone, for its own outcome.
    await Promise.all(batch.map((job) => fileAlone(db, file, job)));
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
      const done = batch.length === 1 ? fileAlone(opts.db, opts.file, batch[0]) : fileTogether(opts.db, opts.file, batch);
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
