/**
 * Recall on an external, unlabelled bounce collection whose file names say
 * what each mail is — sisimai/set-of-emails (BSD-2-Clause), which is not
 * vendored: clone it and pass `--external <clone>/maildir/bsd`. Names:
 * lhost-*, rhost-*, rfc3464-* are delivery reports (bounce, delay, or the
 * odd success report), arf-* feedback reports, rfc3834-* automatic replies.
 */
import { basename, dirname } from 'node:path';
import { classifyFile } from '../src/classify-file';

const FAMILIES: { prefix: RegExp; family: string; kinds: string[] }[] = [
  { prefix: /^(?:lhost|rhost|rfc3464)-/, family: 'delivery reports', kinds: ['bounce', 'delivery_delay'] },
  { prefix: /^arf-/, family: 'feedback reports', kinds: ['feedback_report'] },
  { prefix: /^rfc3834-/, family: 'automatic replies', kinds: ['out_of_office', 'auto_reply'] },
];

export async function evaluateExternal(dir: string): Promise<string[]> {
  const results = await classifyFile(dir);
  const shown = `${basename(dirname(dir))}/${basename(dir)}`;
  const lines = [`External collection …/${shown}: ${results.length} mails.`, '', '| family | mails | recognised | recall |', '|---|---:|---:|---:|'];
  const missed: string[] = [];
  for (const f of FAMILIES) {
    const rows = results.filter((r) => f.prefix.test(basename(r.file)));
    const hits = rows.filter((r) => f.kinds.includes(r.kind));
    missed.push(...rows.filter((r) => !f.kinds.includes(r.kind)).map((r) => `${basename(r.file)} → ${r.kind}`));
    lines.push(`| ${f.family} | ${rows.length} | ${hits.length} | ${((hits.length / Math.max(rows.length, 1)) * 100).toFixed(1)}% |`);
  }
  if (missed.length > 0) lines.push('', `Not recognised: ${missed.join('; ')}`);
  return lines;
}
