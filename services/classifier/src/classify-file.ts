/**
 * Classifies .eml files offline, without NATS, a database or a mailbox: the
 * same parser (@postroom/mail) and rule chain the pipeline runs. Backs
 * `postroom classify <file|folder>` and the evaluation over the fixture corpus.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { describeError, errorCode } from '@postroom/errors';
import { parseMail, toMailParsed } from '@postroom/mail';
import { classifyMail } from './classify-mail';
import type { MailText, Rule } from './verdict';

/** A verdict as JSON-friendly data. */
export interface ClassifyResult {
  file: string;
  messageId: string;
  subject: string;
  /** e.g. `bounce`, `out_of_office`, `normal`; `error` when the file does not parse. */
  kind: string;
  confidence: number;
  reasons: { rule: string; detail: string; source: string }[];
  bounce?: { recipients: string[]; status: string; permanent: boolean; diagnostic: string; originalMessageId: string; reportingMta: string };
  error?: { code: string; message: string };
}

/** `MailKind.OUT_OF_OFFICE` → `out_of_office`. */
export const kindName = (kind: MailKind): string => (MailKind[kind] ?? 'UNSPECIFIED').toLowerCase();

/** Raw bytes → the MailParsed event the parser would emit (without blob keys) and the body text. */
export async function readMail(raw: Uint8Array): Promise<{ msg: MailParsed; body: MailText }> {
  const parsed = await parseMail(raw);
  return { msg: toMailParsed(parsed), body: { text: parsed.text } };
}

export function toResult(file: string, msg: MailParsed, v: Verdict): ClassifyResult {
  const result: ClassifyResult = {
    file,
    messageId: msg.messageId,
    subject: msg.subject,
    kind: kindName(v.kind),
    confidence: v.confidence,
    reasons: v.reasons.map((r) => ({ rule: r.rule, detail: r.detail, source: r.source })),
  };
  if (v.bounce) {
    const { recipients, status, permanent, diagnostic, originalMessageId, reportingMta } = v.bounce;
    result.bounce = { recipients, status, permanent, diagnostic, originalMessageId, reportingMta };
  }
  return result;
}

export async function classifyRaw(file: string, raw: Uint8Array, rules?: readonly Rule[]): Promise<ClassifyResult> {
  try {
    const { msg, body } = await readMail(raw);
    return toResult(file, msg, classifyMail(msg, body, rules));
  } catch (err) {
    return { file, messageId: '', subject: '', kind: 'error', confidence: 0, reasons: [], error: { code: errorCode(err), message: describeError(err) } };
  }
}

/** Every .eml file under `path` (recursively), sorted; `path` itself when it is a file. */
export async function emlFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.eml'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Classifies one .eml file, or every .eml file in a folder tree. */
export async function classifyFile(path: string, rules?: readonly Rule[]): Promise<ClassifyResult[]> {
  const results: ClassifyResult[] = [];
  for (const file of await emlFiles(path)) results.push(await classifyRaw(file, await readFile(file), rules));
  return results;
}
