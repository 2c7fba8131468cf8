/**
 * Commands that talk to a mailbox's servers: `test` (log in over IMAP and,
 * when configured, SMTP) and `deliver` (APPEND a mail to its INBOX, which
 * is how the demo and a person checking a setup put a mail in).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { readMailboxCredentials } from '@postroom/db';
import { openImapClient, parseImapSettings } from '@postroom/imap';
import { loadSecretBox, withDatabase } from '../context';
import { requireMailbox } from './tenant';

const SAMPLE = join(import.meta.dirname, '../../sample/welcome.eml');

async function loadMailbox(tenant: string | undefined, address: string) {
  const box = loadSecretBox();
  return withDatabase(async (ds) => {
    const mailbox = await requireMailbox(ds, tenant, address);
    return { mailbox, credentials: await readMailboxCredentials(ds, box, mailbox.tenantId, mailbox.id) };
  });
}

async function openImap(tenant: string | undefined, address: string) {
  const { mailbox, credentials } = await loadMailbox(tenant, address);
  const imap = credentials.imap;
  if (!imap?.password) throw new Error(`mailbox ${address} has no IMAP password stored`);
  const settings = parseImapSettings(mailbox.settings);
  return { mailbox, credentials, client: await openImapClient({ settings: settings.imap, auth: { user: imap.user, password: imap.password } }) };
}

export async function testMailbox(tenant: string | undefined, address: string): Promise<string> {
  const { mailbox, credentials, client } = await openImap(tenant, address);
  const lines = [`IMAP ok: logged in as ${credentials.imap?.user}; IDLE ${client.capabilities.has('IDLE') ? 'supported' : 'not supported'}`];
  await client.logout();
  const smtp = (mailbox.settings as { smtp?: { host: string; port: number; secure?: boolean } }).smtp;
  if (smtp && credentials.smtp) {
    const transport = createTransport({ ...smtp, auth: { user: credentials.smtp.user, pass: credentials.smtp.password ?? '' } });
    await transport.verify();
    lines.push(`SMTP ok: ${smtp.host}:${smtp.port}`);
  }
  return lines.join('\n');
}

export async function deliverSample(tenant: string | undefined, address: string, file?: string): Promise<string> {
  const raw = readFileSync(file ?? SAMPLE, 'utf8').replace(/\r?\n/g, '\r\n')
    .replace(/^Date: .*$/m, `Date: ${new Date().toUTCString()}`)
    .replace(/^Message-ID: <sample@/m, `Message-ID: <sample-${Date.now()}@`);
  const { client } = await openImap(tenant, address);
  try {
    const result = await client.append('INBOX', raw);
    return `delivered ${file ?? 'the sample mail'} to ${address} INBOX (UID ${result ? result.uid : '?'})`;
  } finally {
    await client.logout();
  }
}
