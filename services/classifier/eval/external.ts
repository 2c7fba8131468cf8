/**
 * Recall on an external, unlabelled bounce collection whose file names say
 * what each mail is — sisimai/set-of-emails (BSD-2-Clause), which is not
 * vendored: clone it and pass `--external <clone>/maildir/bsd`. Names:
 * lhost-*, rhost-*, rfc3464-* are delivery reports (bounce, delay, or the
 * odd success report), arf-* feedback reports, rfc3834-* automatic replies.
 *
 * A few files are not what their family says; NOT_THEIR_FAMILY names them,
 * each with the reason (read from the file), and expects that kind instead.
 * The report fields are checked against what the raw report itself says
 * (reference-fields.ts), not against our own parse.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { classifyFile, type ClassifyResult } from '../src/classify-file';
import { referenceFields } from './reference-fields';

const FAMILIES: { prefix: RegExp; family: string; kinds: string[] }[] = [
  { prefix: /^(?:lhost|rhost|rfc3464)-/, family: 'delivery reports', kinds: ['bounce', 'delivery_delay'] },
  { prefix: /^arf-/, family: 'feedback reports', kinds: ['feedback_report'] },
  { prefix: /^rfc3834-/, family: 'automatic replies', kinds: ['out_of_office', 'auto_reply'] },
];

/** Files whose content is not their family's: the kind they really are, and why (sisimai@18e585c). */
export const NOT_THEIR_FAMILY: Record<string, { kind: string; why: string }> = {
  'lhost-amazonses-11.eml': { kind: 'feedback_report', why: 'an SES notification of type Complaint' },
  'lhost-amazonses-12.eml': { kind: 'auto_reply', why: 'an SES notification of type Delivery (a success)' },
  'lhost-amazonses-13.eml': { kind: 'auto_reply', why: 'an SES notification of type Delivery (a success)' },
  'rfc3464-28.eml': { kind: 'auto_reply', why: 'success reports (Action: deliverable, Status: 2.1.5)' },
  'lhost-sendmail-14.eml': { kind: 'normal', why: 'a person forwarding a bounce inline ("Fwd:", Apple Mail)' },
  'arf-26.eml': { kind: 'auto_reply', why: "Apple Mail's one-click unsubscribe mail (Auto-Submitted: auto-replied), no RFC 5965 report" },
};

const pct = (n: number, d: number) => `${((n / Math.max(d, 1)) * 100).toFixed(1)}%`;
const REPORT_KINDS = new Set(['bounce', 'delivery_delay']);

function familyTable(results: ClassifyResult[]): { lines: string[]; missed: string[] } {
  const lines = ['| family | mails | not of this family | scored | recognised | recall |', '|---|---:|---:|---:|---:|---:|'];
  const missed: string[] = [];
  for (const f of FAMILIES) {
    const rows = results.filter((r) => f.prefix.test(basename(r.file)));
    const scored = rows.filter((r) => !NOT_THEIR_FAMILY[basename(r.file)]);
    const hits = scored.filter((r) => f.kinds.includes(r.kind));
    missed.push(...scored.filter((r) => !f.kinds.includes(r.kind)).map((r) => `${basename(r.file)} → ${r.kind}`));
    lines.push(`| ${f.family} | ${rows.length} | ${rows.length - scored.length} | ${scored.length} | ${hits.length} | ${pct(hits.length, scored.length)} |`);
  }
  return { lines, missed };
}

function exceptionLines(results: ClassifyResult[]): string[] {
  return Object.entries(NOT_THEIR_FAMILY).map(([file, e]) => {
    const got = results.find((r) => basename(r.file) === file)?.kind ?? 'absent';
    return `- ${file}: ${e.why}; expected ${e.kind}, got ${got}${got === e.kind ? '' : ' ✗'}`;
  });
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Original Message-ID and recipients of the recognised delivery reports, against what each report carries. */
async function fieldLines(results: ClassifyResult[]): Promise<string[]> {
  let idCarried = 0, idRight = 0, rcptCarried = 0, rcptRight = 0, withRecipient = 0;
  const wrong: string[] = [];
  const reports = results.filter((r) => REPORT_KINDS.has(r.kind));
  for (const r of reports) {
    const ref = referenceFields((await readFile(r.file)).toString('latin1'));
    const got = r.bounce ?? { recipients: [], originalMessageId: '' };
    if (got.recipients.length > 0) withRecipient++;
    if (ref.messageId !== '') {
      idCarried++;
      if (got.originalMessageId === ref.messageId) idRight++;
      else wrong.push(`${basename(r.file)}: Message-ID ${got.originalMessageId || '(none)'}, the report carries ${ref.messageId}`);
    }
    if (ref.recipients.length > 0) {
      rcptCarried++;
      if (sameSet(got.recipients, ref.recipients)) rcptRight++;
      else wrong.push(`${basename(r.file)}: recipients ${JSON.stringify(got.recipients)}, the report names ${JSON.stringify(ref.recipients)}`);
    }
  }
  return [
    '| field of the recognised bounces and delays | reports carrying it | extracted as carried | accuracy |',
    '|---|---:|---:|---:|',
    `| original Message-ID (returned headers or quoted original) | ${idCarried} | ${idRight} | ${pct(idRight, idCarried)} |`,
    `| failed recipients (Final-Recipient of failed/delayed groups, X-Failed-Recipients) | ${rcptCarried} | ${rcptRight} | ${pct(rcptRight, rcptCarried)} |`,
    '',
    `At least one recipient: ${withRecipient} of ${reports.length} recognised bounces and delays (${pct(withRecipient, reports.length)}).`,
    ...(wrong.length > 0 ? ['', 'Field differences:', '', ...wrong.map((w) => `- ${w}`)] : []),
  ];
}

export async function evaluateExternal(dir: string): Promise<string[]> {
  const results = await classifyFile(dir);
  const shown = `${basename(dirname(dir))}/${basename(dir)}`;
  const { lines, missed } = familyTable(results);
  return [
    `External collection …/${shown}: ${results.length} mails.`,
    '',
    ...lines,
    '',
    missed.length > 0 ? `Not recognised: ${missed.join('; ')}` : 'Every scored mail recognised.',
    '',
    'Not of their family (expected as noted):',
    '',
    ...exceptionLines(results),
    '',
    ...(await fieldLines(results)),
  ];
}
