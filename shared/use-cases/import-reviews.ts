import { type InputIssue, InvalidInputError, ReferenceTakenError } from '#shared/domain/errors.ts';
import { type ImportedReview, importReview, referenceCandidate } from '#shared/domain/review.ts';
import { processOfNewReview } from './change-review.ts';
import type { Caller, ReviewDeps } from './deps.ts';

/** Rows written at once: enough to finish 500 rows well inside the API's timeout, few enough not to throttle. */
const CONCURRENCY = 8;

/** One row as the edge parsed it: a review to bring in, or the issues that made it unreadable. */
export type ImportRow = { row: number; review: ImportedReview } | { row: number; issues: InputIssue[] };

/** What became of one row. `valid`: a dry run found nothing wrong and would create it. */
export interface ImportResult {
  row: number;
  status: 'created' | 'exists' | 'invalid' | 'valid';
  reference?: string;
  id?: string;
  issues?: InputIssue[];
}

/**
 * Brings in reviews already in flight (DESIGN §4, import). Rows are independent: each is
 * created, found to exist (by reference, so a re-import is safe and a retried call after a
 * stall answers `exists` for what it already wrote), or refused with its issues. A dry run
 * checks everything a real run would, the reference included, and writes nothing.
 */
export async function importReviewsUseCase(
  deps: ReviewDeps,
  caller: Caller,
  input: { dryRun: boolean; rows: ImportRow[] },
): Promise<ImportResult[]> {
  const results: ImportResult[] = new Array(input.rows.length);
  // A reference twice in one call: the first row has it, a later one is refused (not a race to see who wins).
  const firstRow = new Map<string, number>();
  const rows = input.rows.map((row): ImportRow => {
    if ('issues' in row) return row;
    const reference = (row.review.reference ?? referenceCandidate(row.review)).toUpperCase();
    const first = firstRow.get(reference);
    if (first === undefined) firstRow.set(reference, row.row);
    else
      return {
        row: row.row,
        issues: [{ path: 'reference', message: `${reference} is row ${first}'s reference too` }],
      };
    return row;
  });
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const index = next++;
      const row = rows[index];
      if (row) results[index] = await importOne(deps, caller, row, input.dryRun);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker));
  return results;
}

async function importOne(
  deps: ReviewDeps,
  caller: Caller,
  row: ImportRow,
  dryRun: boolean,
): Promise<ImportResult> {
  if ('issues' in row) return { row: row.row, status: 'invalid', issues: row.issues };
  const { review: input } = row;
  // The plain candidate, never a suffixed one: the reference is what makes a re-import safe.
  const reference = input.reference ?? referenceCandidate(input);
  try {
    const existing = await deps.reviews.idForReference(reference);
    if (existing) return { row: row.row, status: 'exists', reference, id: existing };
    const process = processOfNewReview(deps, input.process);
    const id = deps.newId();
    const { review, event } = importReview(process, input, {
      id,
      now: deps.clock.now(),
      actor: caller,
      reference,
    });
    if (dryRun) return { row: row.row, status: 'valid', reference };
    await deps.reviews.create(review, event);
    return { row: row.row, status: 'created', reference, id };
  } catch (error) {
    if (error instanceof InvalidInputError) return { row: row.row, status: 'invalid', issues: error.issues };
    if (error instanceof ReferenceTakenError) {
      // Another call (or row) took it in the meantime.
      const id = await deps.reviews.idForReference(reference);
      return { row: row.row, status: 'exists', reference, ...(id ? { id } : {}) };
    }
    throw error;
  }
}
