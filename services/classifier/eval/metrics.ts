/**
 * Precision and recall per kind, and for delivery reports the accuracy of
 * the extracted fields, from (expected, actual) pairs. Pure.
 */
import type { ClassifyResult } from '../src/classify-file';
import type { Label } from './labels';

export interface Scored {
  file: string;
  label: Label;
  result: ClassifyResult;
}

export interface KindScore {
  kind: string;
  support: number;
  truePositives: number;
  predicted: number;
  precision: number;
  recall: number;
}

export interface FieldScore {
  field: 'recipients' | 'permanent' | 'originalMessageId';
  checked: number;
  correct: number;
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

export function kindScores(rows: readonly Scored[]): KindScore[] {
  const kinds = [...new Set(rows.flatMap((r) => [r.label.kind, r.result.kind]))].sort();
  return kinds.map((kind) => {
    const support = rows.filter((r) => r.label.kind === kind).length;
    const predicted = rows.filter((r) => r.result.kind === kind).length;
    const truePositives = rows.filter((r) => r.label.kind === kind && r.result.kind === kind).length;
    return { kind, support, predicted, truePositives, precision: ratio(truePositives, predicted), recall: ratio(truePositives, support) };
  });
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);

/** Field accuracy over rows whose label carries report fields and whose kind was recognised. */
export function fieldScores(rows: readonly Scored[]): FieldScore[] {
  const withFields = rows.filter((r) => r.label.recipients !== undefined);
  const checks: [FieldScore['field'], (r: Scored) => boolean][] = [
    ['recipients', (r) => sameSet(r.result.bounce?.recipients ?? [], r.label.recipients ?? [])],
    ['permanent', (r) => (r.result.bounce?.permanent ?? false) === r.label.permanent],
    ['originalMessageId', (r) => (r.result.bounce?.originalMessageId ?? '') === (r.label.originalMessageId ?? '')],
  ];
  return checks.map(([field, ok]) => ({ field, checked: withFields.length, correct: withFields.filter(ok).length }));
}

/** Rows whose kind or report fields disagree with the label. */
export function mismatches(rows: readonly Scored[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.result.kind !== r.label.kind) out.push(`${r.file}: expected ${r.label.kind}, got ${r.result.kind}`);
    else if (r.label.recipients !== undefined) {
      const f = fieldScores([r]).filter((s) => s.correct === 0).map((s) => s.field);
      if (f.length > 0) out.push(`${r.file}: ${f.join(', ')} wrong (got ${JSON.stringify(r.result.bounce)})`);
    }
  }
  return out;
}
