/** Renders the evaluation as the Markdown section docs/classification.md embeds. */
import type { FieldScore, KindScore } from './metrics';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export interface EvalSummary {
  files: number;
  kinds: KindScore[];
  fields: FieldScore[];
  mismatches: string[];
  unlabelled: string[];
  external?: string[];
}

/** The headline the issue asks for: people's mail classified as anything else. */
function normalLine(kinds: KindScore[]): string {
  const normal = kinds.find((k) => k.kind === 'normal');
  if (!normal) return 'No normal mail in the corpus.';
  const wrong = normal.support - normal.truePositives;
  return `Normal mail misclassified: ${wrong} of ${normal.support} (${pct(normal.support === 0 ? 0 : wrong / normal.support)}).`;
}

export function renderReport(s: EvalSummary): string {
  const lines = [
    `Corpus: ${s.files} labelled mails (libs/testing/fixtures/eml, labels.json).`,
    '',
    '| kind | mails | predicted | precision | recall |',
    '|---|---:|---:|---:|---:|',
    ...s.kinds.map((k) => `| ${k.kind} | ${k.support} | ${k.predicted} | ${pct(k.precision)} | ${pct(k.recall)} |`),
    '',
    '| report field (bounces, delays, receipts, feedback) | checked | correct | accuracy |',
    '|---|---:|---:|---:|',
    ...s.fields.map((f) => `| ${f.field} | ${f.checked} | ${f.correct} | ${pct(f.checked === 0 ? 1 : f.correct / f.checked)} |`),
    '',
    normalLine(s.kinds),
    '',
    s.mismatches.length === 0 ? 'Every labelled mail classified as labelled.' : `Mismatches:\n\n${s.mismatches.map((m) => `- ${m}`).join('\n')}`,
  ];
  if (s.unlabelled.length > 0) lines.push('', `Unlabelled .eml files (not scored): ${s.unlabelled.join(', ')}`);
  if (s.external) lines.push(...s.external);
  return lines.join('\n');
}
