/**
 * `node --import tsx services/classifier/src/classify-cli.ts <file|folder>…`:
 * prints one JSON verdict per mail (JSON Lines) and touches nothing else.
 * The `postroom classify` command runs this (a lib may not import a service).
 * Exit 0 when every file parsed, 1 when some did not, 64 on usage errors.
 */
import { classifyFile } from './classify-file';

const paths = process.argv.slice(2);
if (paths.length === 0) {
  process.stderr.write('usage: classify <file.eml|folder>…\n');
  process.exit(64);
}
let failed = false;
for (const path of paths) {
  const results = await classifyFile(path).catch((err: Error) => {
    process.stderr.write(`classify: ${path}: ${err.message}\n`);
    failed = true;
    return [];
  });
  for (const r of results) {
    if (r.error) failed = true;
    process.stdout.write(`${JSON.stringify(r)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
