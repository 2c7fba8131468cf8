/**
 * `postroom classify <file.eml | folder>…`: the verdict for each mail as one
 * JSON line (kind, confidence, reasons, and for bounces the recipients,
 * status, permanence and original Message-ID), computed by the same parser
 * and rule chain the pipeline runs. Touches no mailbox, NATS or database.
 * Exits 1 when a file could not be read or parsed.
 */
import { classifyFile } from '@postroom/classifier';

export async function classifyCommand(paths: string[]): Promise<void> {
  if (paths.length === 0) throw new Error('usage: postroom classify <file.eml | folder>…');
  let failed = false;
  for (const path of paths) {
    const results = await classifyFile(path).catch((err: Error) => {
      process.stderr.write(`postroom classify: ${path}: ${err.message}\n`);
      failed = true;
      return [];
    });
    for (const result of results) {
      if (result.error) failed = true;
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
  }
  if (failed) process.exitCode = 1;
}
