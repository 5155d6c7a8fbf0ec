import type { TimelinessReport, TimelinessRow } from '#shared/use-cases/timeliness-report.ts';

/**
 * The timeliness report as CSV (RFC 4180): a header row, then one row per stage visit, CRLF line
 * ends, a field quoted when it holds a comma, a quote or a line break. A text field a spreadsheet
 * would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
 * prefixed with `'` (OWASP "CSV injection"); numbers are written as numbers, so a negative
 * `plannedDays` stays one. Empty for null.
 */

export const TIMELINESS_CSV_MEDIA_TYPE = 'text/csv';

type Cell = { text: string | null } | { number: number | null } | { flag: boolean };
const text = (value: string | null): Cell => ({ text: value });
const number = (value: number | null): Cell => ({ number: value });
const flag = (value: boolean): Cell => ({ flag: value });

/** The columns, in order: header and value of one visit of one review. */
const COLUMNS: [string, (row: TimelinessRow, visit: TimelinessRow['visits'][number]) => Cell][] = [
  ['reference', (r) => text(r.reference)],
  ['reviewId', (r) => text(r.id)],
  ['process', (r) => text(r.process)],
  ['stateUnderReview', (r) => text(r.stateUnderReview)],
  ['cluster', (r) => number(r.cluster)],
  ['group', (r) => number(r.group)],
  ['stage', (_, v) => text(v.stage)],
  ['stageEpoch', (_, v) => number(v.stageEpoch)],
  ['enteredOn', (_, v) => text(v.enteredOn)],
  ['leftOn', (_, v) => text(v.leftOn)],
  ['ongoing', (_, v) => flag(v.ongoing)],
  ['paused', (_, v) => flag(v.paused)],
  ['plannedDeadline', (_, v) => text(v.plannedDeadline)],
  ['finalDeadline', (_, v) => text(v.finalDeadline)],
  ['plannedDays', (_, v) => number(v.plannedDays)],
  ['actualDays', (_, v) => number(v.actualDays)],
  ['extensions', (_, v) => number(v.extensions.count)],
  ['extensionDays', (_, v) => number(v.extensions.days)],
  ['pausedDays', (_, v) => number(v.pausedDays)],
  ['daysLate', (_, v) => number(v.daysLate)],
  ['timeZone', (r) => text(r.timeZone)],
];

/** The header row's names, in order. */
export const TIMELINESS_CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field as RFC 4180 writes it. */
function quoted(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A text field, defused if a spreadsheet would take it for a formula. */
export function csvText(value: string): string {
  return quoted(FORMULA_START.test(value) ? `'${value}` : value);
}

function field(cell: Cell): string {
  if ('flag' in cell) return String(cell.flag);
  if ('number' in cell) return cell.number === null ? '' : String(cell.number);
  return cell.text === null ? '' : csvText(cell.text);
}

/** The report's visits as one CSV document (the summary is JSON only: sum the rows instead). */
export function timelinessCsv(report: Pick<TimelinessReport, 'items'>): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const row of report.items) {
    for (const visit of row.visits) lines.push(COLUMNS.map(([, cell]) => field(cell(row, visit))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
