/**
 * A tenant with a support mailbox in a fresh test database, a real blob store
 * (NATS object store in the env's namespace), and a factory for
 * mail.v1.classified events whose body documents are stored the way the
 * parser stores them.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { bodyKey, createNatsBlobStore, type BlobStore } from '@postroom/blob';
import {
  MailBodySchema,
  MailClassifiedSchema,
  MailKind,
  create,
  toBinary,
  type MailClassified,
} from '@postroom/contracts';
import { createSecretBox } from '@postroom/crypto';
import { createMailbox, createTenant, type DataSource } from '@postroom/db';
import type { TestEnv } from '@postroom/testing';

export interface World {
  tenantId: string;
  mailboxId: string;
  address: string;
  blobs: BlobStore;
}

export async function createWorld(env: TestEnv, settings: Record<string, unknown> = {}): Promise<World> {
  const tenant = await createTenant(env.ds, { name: 'Acme Inc', slug: `acme-${randomUUID().slice(0, 8)}` });
  const secrets = createSecretBox({ key: randomBytes(32).toString('base64') });
  const address = 'support@acme.test';
  const mailbox = await createMailbox(env.ds, secrets, {
    tenantId: tenant.id, name: 'Support', address, displayName: 'Acme Support', provider: 'imap', settings,
  });
  return { tenantId: tenant.id, mailboxId: mailbox.id, address, blobs: await createNatsBlobStore(env.bus) };
}

export interface MailSpec {
  messageId: string;
  inReplyTo?: string[];
  references?: string[];
  from?: string;
  fromName?: string;
  to?: string[];
  cc?: string[];
  subject?: string;
  text?: string;
  html?: string;
  kind?: MailKind;
  bounce?: { recipients?: string[]; status?: string; permanent?: boolean; originalMessageId?: string };
  headers?: Record<string, string>;
  imported?: boolean;
  mailboxId?: string;
  /** Default: derived from the Message-ID (one mail, one id). */
  mailId?: string;
}

const addr = (address: string, name = '') => ({ address, name });

/** Builds a classified event and stores its body document. */
export async function classified(world: World, spec: MailSpec): Promise<MailClassified> {
  const mailboxId = spec.mailboxId ?? world.mailboxId;
  const mailId = spec.mailId ?? createHash('sha256').update(`${mailboxId}:${spec.messageId}`).digest('hex').slice(0, 32);
  const body = toBinary(MailBodySchema, create(MailBodySchema, { text: spec.text ?? 'Hello', html: spec.html ?? '<p>Hello</p>' }));
  const key = bodyKey(world.tenantId, mailId);
  await world.blobs.put(key, body);
  return create(MailClassifiedSchema, {
    parsed: {
      mail: { tenantId: world.tenantId, mailboxId, mailId, observedAtMs: BigInt(Date.now()), imported: spec.imported ?? false },
      messageId: spec.messageId,
      inReplyTo: spec.inReplyTo ?? [],
      references: spec.references ?? [],
      from: addr(spec.from ?? 'alice@customer.test', spec.fromName ?? 'Alice'),
      to: (spec.to ?? [world.address]).map((a) => addr(a)),
      cc: (spec.cc ?? []).map((a) => addr(a)),
      subject: spec.subject ?? 'Printer on fire',
      body: { key, size: BigInt(body.byteLength), sha256: '' },
      headers: Object.entries(spec.headers ?? {}).map(([name, value]) => ({ name, value })),
      hasReturnPath: true,
      returnPath: spec.from ?? 'alice@customer.test',
    },
    verdict: { kind: spec.kind ?? MailKind.NORMAL, confidence: 1, reasons: [], bounce: spec.bounce },
  });
}

/** Row counts of one tenant. */
export async function counts(ds: DataSource, tenantId: string): Promise<{ tickets: number; messages: number }> {
  const [row] = await ds.query(
    `SELECT (SELECT count(*) FROM tickets WHERE tenant_id = $1)::int AS tickets,
            (SELECT count(*) FROM messages WHERE tenant_id = $1)::int AS messages`,
    [tenantId],
  );
  return row;
}
