/** `postroom mailbox add`: creates the tenant when missing, then the mailbox with sealed credentials. */
import { createMailbox, createTenant, findTenantBySlug, type Mailbox } from '@postroom/db';
import { loadSecretBox, withDatabase } from '../context';
import { DEFAULT_TENANT } from './tenant';

export const MAILBOX_ADD_OPTIONS = {
  tenant: { type: 'string' }, name: { type: 'string' }, address: { type: 'string' }, 'display-name': { type: 'string' },
  'imap-host': { type: 'string' }, 'imap-port': { type: 'string' }, 'imap-user': { type: 'string' },
  'imap-password': { type: 'string' }, 'imap-password-file': { type: 'string' }, 'imap-insecure': { type: 'boolean' },
  'smtp-host': { type: 'string' }, 'smtp-port': { type: 'string' }, 'smtp-user': { type: 'string' },
  'smtp-password': { type: 'string' }, 'smtp-password-file': { type: 'string' }, 'smtp-insecure': { type: 'boolean' },
  folders: { type: 'string' }, backfill: { type: 'string' }, json: { type: 'boolean' },
} as const;

type Values = Partial<Record<keyof typeof MAILBOX_ADD_OPTIONS, string | boolean>>;

const str = (v: string | boolean | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);

/** `--backfill none | last:<n> | since:<yyyy-mm-dd>` */
function parseBackfill(spec: string | undefined) {
  if (!spec) return undefined;
  const [mode, arg] = spec.split(':');
  if (mode === 'none') return { mode: 'none' };
  if (mode === 'last' && Number(arg) > 0) return { mode: 'last', count: Number(arg) };
  if (mode === 'since' && !Number.isNaN(Date.parse(arg ?? ''))) return { mode: 'since', date: arg };
  throw new Error(`--backfill "${spec}": use none, last:<n> or since:<yyyy-mm-dd>`);
}

function settingsOf(v: Values) {
  const imapInsecure = v['imap-insecure'] === true;
  const smtpHost = str(v['smtp-host']);
  const backfill = parseBackfill(str(v.backfill));
  return {
    imap: {
      host: str(v['imap-host']),
      port: Number(str(v['imap-port']) ?? (imapInsecure ? 143 : 993)),
      secure: !imapInsecure,
      ...(imapInsecure ? { startTls: false } : {}),
      folders: (str(v.folders) ?? 'INBOX').split(',').map((f) => f.trim()).filter(Boolean),
    },
    ...(smtpHost ? { smtp: { host: smtpHost, port: Number(str(v['smtp-port']) ?? 587), secure: false, requireTls: v['smtp-insecure'] !== true } } : {}),
    ...(backfill ? { backfill } : {}),
  };
}

export async function addMailbox(v: Values): Promise<Mailbox> {
  const address = str(v.address);
  if (!address || !str(v['imap-host']) || !str(v['imap-password'])) {
    throw new Error('usage: postroom mailbox add --address a@b --imap-host h --imap-password p (see postroom help)');
  }
  const box = loadSecretBox();
  const user = str(v['imap-user']) ?? address;
  const credentials = {
    imap: { user, password: str(v['imap-password']) },
    ...(str(v['smtp-host']) ? { smtp: { user: str(v['smtp-user']) ?? user, password: str(v['smtp-password']) ?? str(v['imap-password']) } } : {}),
  };
  return withDatabase(async (ds) => {
    const slug = str(v.tenant) ?? DEFAULT_TENANT;
    const tenant = (await findTenantBySlug(ds, slug)) ?? (await createTenant(ds, { name: slug, slug }));
    return createMailbox(ds, box, {
      tenantId: tenant.id, name: str(v.name) ?? address, address, displayName: str(v['display-name']) ?? null,
      provider: 'imap', settings: settingsOf(v), credentials,
    });
  });
}
