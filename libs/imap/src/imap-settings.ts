/**
 * A mailbox's IMAP settings (the `settings` jsonb of provider `imap`; the
 * schema below is their one definition), validated once with their defaults
 * so ingress and fetcher read the same thing. Certificate checks are on unless a mailbox
 * explicitly turns them off.
 */
import { z } from 'zod';

const backfillSchema = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('none') }),
    z.object({ mode: z.literal('last'), count: z.number().int().min(1).default(100) }),
    z.object({ mode: z.literal('since'), date: z.coerce.date() }),
    z.object({ mode: z.literal('all') }),
  ])
  .default({ mode: 'last', count: 100 });

const oauth2Schema = z.object({
  /** OAuth 2.0 token endpoint (RFC 6749 §3.2) used to refresh the access token. */
  tokenUrl: z.url(),
  clientId: z.string().min(1),
  scope: z.string().optional(),
});

const imapSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(993),
  /** Implicit TLS (port 993). When false, STARTTLS per `startTls`. */
  secure: z.boolean().default(true),
  /** true: STARTTLS required; false: never; unset: when the server offers it. */
  startTls: z.boolean().optional(),
  /** Verify the server certificate (default); false only for private test servers. */
  tlsRejectUnauthorized: z.boolean().default(true),
  /** Extra trusted CA certificate(s), PEM, for servers with a private CA (verification stays on). */
  tlsCa: z.string().optional(),
  servername: z.string().optional(),
  auth: z.enum(['password', 'xoauth2']).default('password'),
  oauth2: oauth2Schema.optional(),
  folders: z.array(z.string().min(1)).min(1).default(['INBOX']),
  /** Use IDLE (RFC 2177) when the server offers it; otherwise poll. */
  idle: z.boolean().default(true),
  pollIntervalMs: z.number().int().min(100).default(30_000),
  /** The provider's cap on connections per account (Gmail: about 15). */
  maxConnections: z.number().int().min(2).default(10),
}).refine((s) => s.folders.length < s.maxConnections, {
  path: ['folders'],
  message: 'each folder takes an IMAP connection (IDLE watches one folder) and the fetcher one more: watch fewer folders or raise maxConnections',
});

/**
 * What to do to the source message once it is filed on a ticket. Unset (the
 * default): nothing, the mailbox is only ever read. `markSeen` stores \Seen
 * (RFC 3501 §2.3.2); `moveTo` moves it to that folder (RFC 6851 MOVE),
 * creating the folder when missing. Spam and other mail filed without a
 * ticket is left where it is.
 */
const afterFiledSchema = z.object({
  markSeen: z.boolean().default(false),
  moveTo: z.string().min(1).optional(),
});

/** RFC 3501 §5.1: INBOX is case-insensitive; other names are compared as written. */
const sameFolder = (a: string, b: string) => a === b || (a.toUpperCase() === 'INBOX' && b.toUpperCase() === 'INBOX');

const settingsSchema = z
  .object({
    imap: imapSchema,
    backfill: backfillSchema,
    /** Flag backfilled mail as imported so it triggers no auto-response. */
    backfillImported: z.boolean().default(true),
    afterFiled: afterFiledSchema.optional(),
  })
  .refine((s) => !s.afterFiled?.moveTo || !s.imap.folders.some((f) => sameFolder(f, s.afterFiled!.moveTo!)), {
    path: ['afterFiled', 'moveTo'],
    message: 'is a watched folder: moved mail would be ingested again; move it to a folder ingress does not watch',
  });

export type ImapSettings = z.infer<typeof imapSchema>;
export type BackfillSettings = z.infer<typeof backfillSchema>;
export type AfterFiledSettings = z.infer<typeof afterFiledSchema>;
export type MailboxImapSettings = z.infer<typeof settingsSchema>;

/** Parses a mailbox's settings; throws an Error naming every invalid field. */
export function parseImapSettings(settings: unknown): MailboxImapSettings {
  const result = settingsSchema.safeParse(settings ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `settings.${i.path.join('.')}: ${i.message}`);
  throw new Error(`invalid IMAP mailbox settings: ${issues.join('; ')}`);
}
