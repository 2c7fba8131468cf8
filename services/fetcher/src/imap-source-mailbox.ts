/**
 * The mailbox's afterFiled action over IMAP, on the fetcher's pooled
 * connection: SELECT the source folder read-write (the fetches EXAMINE it;
 * imapflow re-selects when the mode differs), check UIDVALIDITY, then
 * UID STORE +FLAGS (\Seen) (RFC 3501 §6.4.6) and/or UID MOVE (RFC 6851).
 * Every step is idempotent: \Seen twice is \Seen, and a UID that is no longer
 * in the folder (moved by an earlier delivery, or by a person) is success.
 */
import type { ImapFlow } from 'imapflow';
import { RetryableError } from '@postroom/errors';
import { classifyImapError, IMAP_ERROR_CODES } from '@postroom/imap';
import type { ImapPool } from './imap-pool';
import { fetchMeta } from './imap-message-source';
import type { ImapMessageRef, SourceActionOutcome, SourceMailbox } from './ports';

type Actions = { markSeen: boolean; moveTo?: string };

/**
 * imapflow's messageMove resolves false instead of throwing when the server
 * says NO, e.g. [TRYCREATE] for a destination that does not exist (RFC 3501
 * §6.4.7). So a refused move creates the folder (CREATE of an existing one
 * is ALREADYEXISTS, which imapflow treats as success) and tries once more.
 */
async function move(client: ImapFlow, uid: number, folder: string): Promise<void> {
  if (await client.messageMove(String(uid), folder, { uid: true })) return;
  await client.mailboxCreate(folder);
  if (await client.messageMove(String(uid), folder, { uid: true })) return;
  throw new RetryableError('IMAP_MOVE_FAILED', `the server refused to move UID ${uid} to ${folder}`);
}

async function act(client: ImapFlow, ref: ImapMessageRef, actions: Actions): Promise<SourceActionOutcome> {
  const current = client.mailbox ? Number(client.mailbox.uidValidity) : 0;
  if (current !== ref.uidValidity) return 'uidvalidity-changed';
  const meta = await fetchMeta(client, ref.uid);
  if (!meta) return 'gone';
  if (actions.markSeen && !meta.flags?.has('\\Seen')) {
    const stored = await client.messageFlagsAdd(String(ref.uid), ['\\Seen'], { uid: true });
    if (!stored) throw new RetryableError('IMAP_STORE_FAILED', `the server refused \\Seen on UID ${ref.uid} in ${ref.folder}`);
  }
  if (actions.moveTo) await move(client, ref.uid, actions.moveTo);
  return 'done';
}

async function applyActions(client: ImapFlow, ref: ImapMessageRef, actions: Actions): Promise<SourceActionOutcome> {
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(ref.folder, { readOnly: false });
  } catch (err) {
    // The folder was deleted: its messages went with it.
    if (classifyImapError(err).code === IMAP_ERROR_CODES.folderGone) return 'gone';
    throw err;
  }
  try {
    return await act(client, ref, actions);
  } finally {
    lock.release();
  }
}

export function createImapSourceMailbox(pool: ImapPool): SourceMailbox {
  return {
    apply: (ref, actions) => pool.use(ref.tenantId, ref.mailboxId, (client) => applyActions(client, ref, actions)),
  };
}
