import type { InputIssue } from '#shared/domain/errors.ts';
import { HttpError } from './http-error.ts';

/**
 * The import's CSV layout (DESIGN §4; README "Bringing a running caseload in"): RFC 4180 (a
 * field quoted when it holds a comma, a quote or a line break; `""` for a quote inside one;
 * CRLF or LF; a UTF-8 byte-order mark ignored), a header row naming the columns below in any
 * order, then one review per row. An empty cell is an absent value. The reader turns each row
 * into the JSON row's shape; the row schema then checks it, row by row.
 *
 * | column | cell |
 * |---|---|
 * | `reference`, `process`, `stateUnderReview`, `language`, `launchedAt`, `secretariatEmail`, `stage`, `stageEnteredAt` | as in JSON |
 * | `cluster`, `group` | a whole number |
 * | `instruments` | codes separated by spaces or `+`: `UNTOC+TIP` |
 * | `reviewingStates` | entries separated by spaces, each `STATE:INSTRUMENT+INSTRUMENT`: `AUT:UNTOC+TIP BRA:UNTOC` |
 * | `deadline` | a date; `none` for no deadline; empty for the stage's default |
 * | `submissions` | States that have submitted, separated by spaces, each optionally `@` the instant it arrived: `AUT BRA@2024-05-02T10:00:00Z` |
 * | `focalPoints` | entries separated by `;`, each `STATE|name|email|language`: `GRC|Eleni Papadopoulou|fp@grc.example|en` |
 */
export const IMPORT_CSV_COLUMNS = [
  'reference',
  'process',
  'stateUnderReview',
  'cluster',
  'group',
  'instruments',
  'reviewingStates',
  'language',
  'launchedAt',
  'secretariatEmail',
  'stage',
  'stageEnteredAt',
  'deadline',
  'submissions',
  'focalPoints',
] as const;
const REQUIRED = [
  'stateUnderReview',
  'cluster',
  'instruments',
  'reviewingStates',
  'language',
  'launchedAt',
  'stage',
  'stageEnteredAt',
];

type Column = (typeof IMPORT_CSV_COLUMNS)[number];

/** The records of RFC 4180 text: fields unquoted, `""` unescaped; blank lines dropped. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    record.push(field);
    if (record.length > 1 || record[0] !== '') records.push(record);
    record = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') endRecord();
    else if (c === '\r' && text[i + 1] === '\n') {
      endRecord();
      i++;
    } else field += c;
  }
  if (quoted) throw invalid([{ path: 'body', message: 'a quoted field is not closed' }]);
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

const invalid = (issues: InputIssue[]) =>
  new HttpError(400, 'VALIDATION_FAILED', 'The CSV is not valid.', issues);

const words = (cell: string, separator: RegExp) =>
  cell
    .split(separator)
    .map((w) => w.trim())
    .filter(Boolean);
const wholeNumber = (cell: string): number | string => (/^\d{1,3}$/.test(cell) ? Number(cell) : cell);

/** One cell in the JSON row's shape (a cell the shape cannot hold is passed on for the schema to refuse). */
function value(column: Column, cell: string): unknown {
  switch (column) {
    case 'cluster':
    case 'group':
      return wholeNumber(cell);
    case 'instruments':
      return words(cell, /[\s+]+/);
    case 'reviewingStates':
      return words(cell, /\s+/).map((entry) => {
        const [state = '', instruments = ''] = entry.split(':');
        return { state, instruments: words(instruments, /\+/) };
      });
    case 'deadline':
      return cell.toLowerCase() === 'none' ? null : cell;
    case 'submissions':
      return words(cell, /\s+/).map((entry) => {
        const [state = '', receivedAt] = entry.split('@');
        return receivedAt === undefined ? { state } : { state, receivedAt };
      });
    case 'focalPoints':
      return Object.fromEntries(
        words(cell, /;/).map((entry) => {
          const [state = '', name = '', email = '', language = ''] = entry.split('|').map((p) => p.trim());
          return [state, { name, email, language }];
        }),
      );
    default:
      return cell;
  }
}

/**
 * The rows of an import CSV in the JSON rows' shape, in order (row 1 is the first after the
 * header). Refuses the whole text (400) when it cannot be read: an unclosed quote, no header,
 * a column it does not know or one missing, or a row with more cells than the header.
 */
export function readImportCsv(text: string): { reviews: unknown[] } {
  const [header, ...rows] = csvRecords(text);
  if (!header) throw invalid([{ path: 'body', message: 'no header row' }]);
  const names = header.map((h) => h.trim());
  const issues: InputIssue[] = [];
  names.forEach((name, i) => {
    if (!(IMPORT_CSV_COLUMNS as readonly string[]).includes(name))
      issues.push({ path: `header.${i}`, message: `unknown column ${JSON.stringify(name)}` });
    else if (names.indexOf(name) < i) issues.push({ path: `header.${i}`, message: `${name} twice` });
  });
  for (const name of REQUIRED)
    if (!names.includes(name)) issues.push({ path: 'header', message: `column ${name} is missing` });
  rows.forEach((cells, r) => {
    if (cells.length > names.length)
      issues.push({ path: `rows.${r + 1}`, message: `${cells.length} cells under ${names.length} columns` });
  });
  if (issues.length > 0) throw invalid(issues);
  return {
    reviews: rows.map((cells) => {
      const row: Record<string, unknown> = {};
      names.forEach((name, i) => {
        const cell = (cells[i] ?? '').trim();
        if (cell !== '') row[name] = value(name as Column, cell);
      });
      return row;
    }),
  };
}
