/**
 * The ticketer's settings: the shared base, the blob store (it reads the
 * MailBody documents), and its filing policy.
 */
import { baseSchema, blobSchema, loadConfig, withBlobRules, z } from '@postroom/config';
import type { RateCap, TicketerPolicy } from './ports';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `3/1h,10/1d` → at most 3 per hour and 10 per day. */
export function parseRateCaps(text: string): RateCap[] | undefined {
  const caps: RateCap[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(\d+)\s*\/\s*(\d+)\s*([mhd])$/.exec(part);
    if (!m || Number(m[2]) === 0) return undefined;
    caps.push({ max: Number(m[1]), windowMs: Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS] });
  }
  return caps.length > 0 ? caps : undefined;
}

export const ticketerSchema = withBlobRules(
  baseSchema.extend({
    ...blobSchema.shape,
    HEALTH_PORT: baseSchema.shape.HEALTH_PORT.unwrap().default(9105),
    /**
     * Its events are small (bodies up to 64 KiB inline, raw mail never), so
     * it holds more in flight than the stages that hold raw mail (16), and
     * the emails waiting together are filed in one transaction
     * (filing-batch.ts).
     */
    STAGE_CONCURRENCY: baseSchema.shape.STAGE_CONCURRENCY.unwrap().default(64),
    /**
     * The same Message-ID arriving in two mailboxes of a tenant (a mail sent
     * to support@ and Cc sales@): `tenant` files it once (default), `mailbox`
     * files one message per mailbox, both on the same ticket.
     */
    TICKETER_DEDUPE_SCOPE: z.enum(['tenant', 'mailbox']).default('tenant'),
    /** Subject tag format; `{number}` is the ticket number. */
    TICKETER_TICKET_TAG: z.string().includes('{number}', { error: 'must contain {number}' }).default('[#{number}]'),
    /** Auto-responses per recipient address: `<max>/<n><m|h|d>` windows, all of which must have room. */
    TICKETER_AUTO_RESPONSE_CAPS: z
      .string()
      .default('3/1h,10/1d')
      .transform((text, ctx) => {
        const caps = parseRateCaps(text);
        if (!caps) ctx.addIssue({ code: 'custom', message: 'must be a list like 3/1h,10/1d (max/window with m, h or d)' });
        return caps ?? [];
      }),
    /** Automatic mails a ticket may ever get. */
    TICKETER_AUTO_RESPONSE_PER_TICKET: z.coerce.number().int().min(0).default(1),
    /** Days a hard-bounced address stays suppressed. */
    TICKETER_SUPPRESSION_DAYS: z.coerce.number().min(1).default(30),
  }),
);

export type TicketerConfig = z.infer<typeof ticketerSchema>;

export const loadTicketerConfig = (env: NodeJS.ProcessEnv): Readonly<TicketerConfig> => loadConfig(ticketerSchema, env);

export const policyOf = (c: TicketerConfig): TicketerPolicy => ({
  dedupeScope: c.TICKETER_DEDUPE_SCOPE,
  tagFormat: c.TICKETER_TICKET_TAG,
  autoResponse: { perRecipient: c.TICKETER_AUTO_RESPONSE_CAPS, perTicket: c.TICKETER_AUTO_RESPONSE_PER_TICKET },
  suppression: { expiryMs: c.TICKETER_SUPPRESSION_DAYS * 86_400_000 },
});
