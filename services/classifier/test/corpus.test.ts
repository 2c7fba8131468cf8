/**
 * The labelled corpus as a regression test: every fixture in
 * libs/testing/fixtures/eml/labels.json gets the labelled kind and, for
 * delivery reports, the labelled recipients, permanence and original
 * Message-ID (`npm run classify:eval` prints the same as metrics).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFile } from '../src/classify-file';
import { FIXTURE_DIR, readLabels } from '../eval/labels';

const labels = [...(await readLabels()).entries()];

describe('labelled corpus', () => {
  it('labels at least 90 mails across every kind', () => {
    expect(labels.length).toBeGreaterThanOrEqual(90);
    expect(new Set(labels.map(([, l]) => l.kind)).size).toBeGreaterThanOrEqual(11);
  });

  it.each(labels)('%s', async (file, label) => {
    const [result] = await classifyFile(join(FIXTURE_DIR, file));
    expect(result.kind).toBe(label.kind);
    if (label.recipients !== undefined) {
      expect([...(result.bounce?.recipients ?? [])].sort()).toEqual([...label.recipients].sort());
      expect(result.bounce?.permanent).toBe(label.permanent);
      expect(result.bounce?.originalMessageId).toBe(label.originalMessageId);
    }
  });
});
