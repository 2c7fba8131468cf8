/**
 * `npm run classify:eval -w @postroom/classifier [-- --update-docs] [--external <dir>] [--external-ham <dir>]`
 *
 * Runs the rule chain over every labelled fixture, prints precision and
 * recall per kind and the accuracy of extracted bounce fields, and with
 * --update-docs rewrites the results section of docs/classification.md
 * (between the eval markers). --external runs the sisimai bounce collection
 * (external.ts), --external-ham a ham collection (ham.ts). Exit 1 when a
 * labelled mail is misclassified.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyFile, emlFiles } from '../src/classify-file';
import { evaluateExternal } from './external';
import { evaluateHam } from './ham';
import { FIXTURE_DIR, readLabels } from './labels';
import { fieldScores, kindScores, mismatches, type Scored } from './metrics';
import { renderReport } from './report';

const DOCS = fileURLToPath(new URL('../../../docs/classification.md', import.meta.url));
const START = '<!-- eval:start -->';
const END = '<!-- eval:end -->';

async function score(): Promise<{ rows: Scored[]; unlabelled: string[] }> {
  const labels = await readLabels();
  const rows: Scored[] = [];
  const unlabelled: string[] = [];
  for (const file of await emlFiles(FIXTURE_DIR)) {
    const name = relative(FIXTURE_DIR, file);
    const label = labels.get(name);
    if (!label) unlabelled.push(name);
    else rows.push({ file: name, label, result: (await classifyFile(file))[0] });
  }
  return { rows, unlabelled };
}

async function updateDocs(section: string): Promise<void> {
  const doc = await readFile(DOCS, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOCS} has no ${START} … ${END} section`);
  await writeFile(DOCS, `${doc.slice(0, start + START.length)}\n${section}\n${doc.slice(end)}`);
}

const args = process.argv.slice(2);
const argument = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const externalDir = argument('--external');
const hamDir = argument('--external-ham');
const { rows, unlabelled } = await score();
const report = renderReport({
  files: rows.length,
  kinds: kindScores(rows),
  fields: fieldScores(rows),
  mismatches: mismatches(rows),
  unlabelled,
  external: [
    ...(externalDir ? ['', ...(await evaluateExternal(externalDir))] : []),
    ...(hamDir ? ['', ...(await evaluateHam(hamDir))] : []),
  ],
});
process.stdout.write(`${report}\n`);
if (args.includes('--update-docs')) await updateDocs(report);
process.exitCode = rows.some((r) => r.result.kind !== r.label.kind) ? 1 : 0;
