import { InvalidCursorError } from '#shared/ports/review-repository.ts';
import type {
  ReviewRecord,
  TimelinessPage,
  TimelinessQuery,
  TimelinessSource,
} from '#shared/ports/timeliness-source.ts';

/** In-memory TimelinessSource: newest first, filtered, paged by position, the queries it was asked kept. */
export class InMemoryTimelinessSource implements TimelinessSource {
  readonly records: ReviewRecord[] = [];
  readonly queries: TimelinessQuery[] = [];

  async page(query: TimelinessQuery): Promise<TimelinessPage> {
    this.queries.push(query);
    const matching = [...this.records]
      .sort((a, b) => b.review.createdAt.localeCompare(a.review.createdAt))
      .filter((r) => query.cluster === undefined || r.review.cluster === query.cluster)
      .filter((r) => query.group === undefined || r.review.group === query.group)
      .filter(
        (r) =>
          query.processId === undefined || r.review.processId.toLowerCase() === query.processId.toLowerCase(),
      );
    const start = query.cursor === undefined ? 0 : Number(query.cursor.replace(/^at-/, ''));
    if (query.cursor !== undefined && (!query.cursor.startsWith('at-') || !Number.isInteger(start)))
      throw new InvalidCursorError();
    const items = matching.slice(start, start + query.limit);
    const next = start + items.length;
    return { items: structuredClone(items), nextCursor: next < matching.length ? `at-${next}` : null };
  }
}
