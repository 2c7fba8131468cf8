/**
 * The ticketer's settings: the shared base, the blob store (it reads the
 * MailBody documents), and its filing policy.
 */
import { baseSchema, blobSchema, loadConfig, withBlobRules, z } from '@postroom/config';
import type { TicketerPolicy } from './ports';

export const ticketerSchema = withBlobRules(
  baseSchema.extend({
    ...blobSchema.shape,
    HEALTH_PORT: baseSchema.shape.HEALTH_PORT.unwrap().default(9105),
    /**
     * The same Message-ID arriving in two mailboxes of a tenant (a mail sent
     * to support@ and Cc sales@): `tenant` files it once (default), `mailbox`
     * files one message per mailbox, both on the same ticket.
     */
    TICKETER_DEDUPE_SCOPE: z.enum(['tenant', 'mailbox']).default('tenant'),
    /** Subject tag format; `{number}` is the ticket number. */
    TICKETER_TICKET_TAG: z.string().includes('{number}', { error: 'must contain {number}' }).default('[#{number}]'),
    /** Auto-responses per recipient address within the window below. */
    TICKETER_AUTO_RESPONSE_MAX: z.coerce.number().int().min(0).default(3),
    TICKETER_AUTO_RESPONSE_WINDOW_MINUTES: z.coerce.number().int().min(1).default(60),
  }),
);

export type TicketerConfig = z.infer<typeof ticketerSchema>;

export const loadTicketerConfig = (env: NodeJS.ProcessEnv): Readonly<TicketerConfig> => loadConfig(ticketerSchema, env);

export const policyOf = (c: TicketerConfig): TicketerPolicy => ({
  dedupeScope: c.TICKETER_DEDUPE_SCOPE,
  tagFormat: c.TICKETER_TICKET_TAG,
  autoResponse: { maxPerRecipient: c.TICKETER_AUTO_RESPONSE_MAX, windowMs: c.TICKETER_AUTO_RESPONSE_WINDOW_MINUTES * 60_000 },
});
