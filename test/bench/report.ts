import { writeFileSync } from 'node:fs';

/** One row of the final table. */
export interface Metric {
  section: string;
  name: string;
  value: number | string;
  unit?: string;
  /** The DESIGN §6 target in words, e.g. `≤ 350 KB`; absent for an informational row. */
  target?: string;
  /** Absent for an informational row. */
  pass?: boolean;
}

/** What each bench section hands back: table rows, detail text for stdout and raw data for the JSON. */
export interface SectionResult {
  metrics: Metric[];
  /** Already formatted tables shown before the final table. */
  text: string;
  details: unknown;
}

/** A fixed-width text table; the first row is the header. */
export function textTable(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const [header, ...body] = rows;
  return [line(header ?? []), rule, ...body.map(line)].join('\n');
}

export function formatValue(metric: Metric): string {
  const value = typeof metric.value === 'number' ? String(round(metric.value, 3)) : metric.value;
  return metric.unit ? `${value} ${metric.unit}` : value;
}

function verdict(metric: Metric): string {
  if (metric.pass === undefined) return 'info';
  return metric.pass ? 'PASS' : 'FAIL';
}

/** The final table: metric, value, target, PASS/FAIL (or `info`). */
export function metricsTable(metrics: Metric[]): string {
  return textTable([
    ['Section', 'Metric', 'Value', 'Target', 'Result'],
    ...metrics.map((m) => [m.section, m.name, formatValue(m), m.target ?? '', verdict(m)]),
  ]);
}

/**
 * The judged rows (those with a target) as a Markdown table, for README's bench section:
 * every DESIGN §6 target with the figure beside it.
 */
export function targetsMarkdown(metrics: Metric[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = metrics
    .filter((m) => m.target !== undefined)
    .map(
      (m) =>
        `| ${cell(m.section)} | ${cell(m.name)} | ${cell(formatValue(m))} | ${cell(m.target ?? '')} | ${verdict(m)} |`,
    );
  return ['| Section | Metric | Figure | Target | Result |', '| --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function writeResults(path: string, results: unknown): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
