/**
 * Splits an mbox file (RFC 4155) into messages while streaming it: only the
 * message being read is in memory, never the archive.
 *
 * RFC 4155: each message starts with a "From " separator line and ends with
 * an empty line, which belongs to the mbox, not the message. A "From " line
 * starts a message only at the top of the file or after an empty line, so an
 * unescaped "From " inside a paragraph (mboxo/mboxcl writers) stays in the
 * body. mboxrd quoting is undone: a body line `>From ` (any number of `>`)
 * was written with one extra `>`, which is removed. (mboxo writers quoted only
 * `From `, so unquoting their `>From ` lines alters bodies that really began
 * with `>From `; mboxrd is what exporters such as Thunderbird and Google
 * Takeout write.)
 */
import { createReadStream } from 'node:fs';
import { isBlankLine, readLines } from './lines';
import type { SourceMail } from './source-mail';

const FROM_ = Buffer.from('From ');

const isSeparator = (line: Buffer) => line.subarray(0, 5).equals(FROM_);

/** `>From `, `>>From `, … : an mboxrd-quoted body line. */
function isQuotedFrom(line: Buffer): boolean {
  let i = 0;
  while (line[i] === 0x3e) i += 1;
  return i > 0 && line.subarray(i, i + 5).equals(FROM_);
}

/** True when the file's first bytes are an RFC 4155 "From " separator. */
export async function looksLikeMbox(path: string): Promise<boolean> {
  for await (const chunk of createReadStream(path, { start: 0, end: 4 })) return FROM_.equals(chunk as Buffer);
  return false;
}

/** The messages of an mbox, in file order, labelled `message <n> (line <l>)`. */
export async function* readMbox(path: string): AsyncGenerator<SourceMail> {
  let lines: Buffer[] | undefined;
  let blank: Buffer | undefined;
  let label = '';
  let lineNo = 0;
  let count = 0;
  for await (const line of readLines(createReadStream(path, { highWaterMark: 256 * 1024 }))) {
    lineNo += 1;
    if (isSeparator(line) && (lines === undefined || blank !== undefined)) {
      if (lines !== undefined) yield ready(label, lines);
      lines = [];
      blank = undefined;
      count += 1;
      label = `message ${count} (line ${lineNo})`;
      continue;
    }
    if (lines === undefined) throw new Error(`${path} is not an mbox: line 1 must start with "From " (RFC 4155)`);
    if (blank !== undefined) lines.push(blank);
    blank = isBlankLine(line) ? line : undefined;
    if (!blank) lines.push(isQuotedFrom(line) ? line.subarray(1) : line);
  }
  if (lines !== undefined) yield ready(label, lines);
}

function ready(label: string, lines: Buffer[]): SourceMail {
  const bytes = Buffer.concat(lines);
  return { label, read: async () => bytes };
}
