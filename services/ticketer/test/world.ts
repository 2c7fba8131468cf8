/**
 * A tenant with a support mailbox in a fresh test database, a real blob store
 * (NATS object store in the env's namespace), and a factory for
 * mail.v1.classified events whose body documents travel the way the parser
 * sends them: inline in the event, or (bodyInBlob, as for a body over the
 * inline cap) stored as a blob the event references.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { bodyKey, createNatsBlobStore, type BlobStore } from '@postroom/blob';
import {
  BlobRefSchema,
  MailBodySchema,
  MailClassifiedSchema,
  MailKind,
  create,
  toBinary,
  type MailBody,
  type MailClassified,
  type MailParsed,
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
  /** Store the body document as a blob (the parser's path for a large body) instead of inline. */
  bodyInBlob?: boolean;
}

const addr = (address: string, name = '') => ({ address, name });

/** The event's body fields: the document inline, or stored under the mail id and referenced. */
async function bodyFields(world: World, mailId: string, doc: MailBody, inBlob: boolean): Promise<Pick<MailParsed, 'body' | 'inlineBody'>> {
  if (!inBlob) return { inlineBody: doc };
  const bytes = toBinary(MailBodySchema, doc);
  const key = bodyKey(world.tenantId, mailId);
  await world.blobs.put(key, bytes);
  return { body: create(BlobRefSchema, { key, size: BigInt(bytes.byteLength), sha256: '' }) };
}

/** Builds a classified event with its body document inline or stored. */
export async function classified(world: World, spec: MailSpec): Promise<MailClassified> {
  const mailboxId = spec.mailboxId ?? world.mailboxId;
  const mailId = spec.mailId ?? createHash('sha256').update(`${mailboxId}:${spec.messageId}`).digest('hex').slice(0, 32);
  const doc = create(MailBodySchema, { text: spec.text ?? 'Hello', html: spec.html ?? '<p>Hello</p>' });
  const body = await bodyFields(world, mailId, doc, spec.bodyInBlob ?? false);
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
      ...body,
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
