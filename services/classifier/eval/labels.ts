/**
 * The labelled corpus: libs/testing/fixtures/eml/labels.json maps each
 * fixture (path relative to that folder) to its expected verdict.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../../libs/testing/fixtures/eml/', import.meta.url));

export interface Label {
  /** Expected kind as kindName() prints it (`bounce`, `out_of_office`, …), or `error` for unparseable input. */
  kind: string;
  /** The system whose format the fixture follows (postfix, exim, outlook, …). */
  source: string;
  /** For bounces, delays and reports: what the verdict's bounce report must say. */
  recipients?: string[];
  permanent?: boolean;
  originalMessageId?: string;
}

export async function readLabels(dir = FIXTURE_DIR): Promise<Map<string, Label>> {
  const json = JSON.parse(await readFile(`${dir}/labels.json`, 'utf8')) as { mails: Record<string, Label> };
  return new Map(Object.entries(json.mails));
}
