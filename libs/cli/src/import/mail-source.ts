/**
 * What `postroom import <path>` reads, decided from the path: an mbox file
 * (RFC 4155), a Maildir (its cur/ and new/ hold one message per file; tmp/
 * holds deliveries in progress and is skipped), a folder of .eml files
 * (searched recursively), or a single .eml file. Files come out in name
 * order so two runs over the same archive see the same sequence.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { looksLikeMbox, readMbox } from './mbox';
import type { SourceMail } from './source-mail';

export type SourceKind = 'mbox' | 'maildir' | 'eml-folder' | 'eml';

export interface MailSource {
  kind: SourceKind;
  mails: AsyncIterable<SourceMail>;
}

const fileMail = (root: string, path: string): SourceMail => ({ label: relative(root, path) || basename(path), read: () => readFile(path) });

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** Maildir messages: every file in cur/ then new/ whose name does not start with a dot. */
async function* readMaildir(root: string): AsyncGenerator<SourceMail> {
  for (const sub of ['cur', 'new']) {
    const dir = join(root, sub);
    if (!(await isDirectory(dir))) continue;
    const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).sort(byName);
    for (const e of entries) yield fileMail(root, join(dir, e.name));
  }
}

/** Every *.eml below `dir` (any case), depth first in name order. */
async function* readEmlFolder(root: string, dir = root): AsyncGenerator<SourceMail> {
  for (const e of (await readdir(dir, { withFileTypes: true })).sort(byName)) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* readEmlFolder(root, path);
    else if (e.isFile() && e.name.toLowerCase().endsWith('.eml')) yield fileMail(root, path);
  }
}

async function* single(mail: SourceMail): AsyncGenerator<SourceMail> {
  yield mail;
}

/** Opens the archive at `path`; throws, naming the path, when it is none of the kinds above. */
export async function openMailSource(path: string): Promise<MailSource> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path}: ${err.code ?? err.message}`, { cause: err });
  });
  if (info.isDirectory()) {
    const maildir = (await isDirectory(join(path, 'cur'))) || (await isDirectory(join(path, 'new')));
    return maildir ? { kind: 'maildir', mails: readMaildir(path) } : { kind: 'eml-folder', mails: readEmlFolder(path) };
  }
  if (await looksLikeMbox(path)) return { kind: 'mbox', mails: readMbox(path) };
  if (path.toLowerCase().endsWith('.eml')) return { kind: 'eml', mails: single(fileMail(path, path)) };
  throw new Error(`${path} is neither an mbox (its first line must start with "From ", RFC 4155), a Maildir, a folder of .eml files nor an .eml file`);
}
