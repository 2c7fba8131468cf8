/** Printing for the CLI: aligned tables for people, JSON with --json. */

export type Row = Record<string, string | number | boolean | null | undefined>;

export function printTable(rows: Row[], columns: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cell = (row: Row, column: string) => String(row[column] ?? '').replace(/\s+/g, ' ');
  const widths = columns.map((c) => Math.min(60, Math.max(c.length, ...rows.map((r) => cell(r, c).length))));
  const line = (values: string[]) => values.map((v, i) => v.slice(0, widths[i]).padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`${line(columns.map((c) => c.toUpperCase()))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((c) => cell(row, c)))}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
