import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNCAC_PROCESS } from '#shared/domain/processes/uncac.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { changeDeadline, createReview, type NewReview, transition } from '#shared/domain/review.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { httpChain } from '#shared/http/http-chain.ts';
import { negotiateMediaType } from '#shared/http/http-middlewares.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import { csvText, TIMELINESS_CSV_COLUMNS, timelinessCsv } from '#shared/http/timeliness-csv.ts';
import type { TimelinessRow } from '#shared/use-cases/timeliness-report.ts';
import { openApiContract } from '../../integration/support/openapi-contract.ts';
import { apiEvent, type EventOptions } from '../fakes/api-events.ts';
import {
  InMemoryIdempotencyStore,
  InMemoryNotificationReader,
  InMemoryReviewRepository,
} from '../fakes/in-memory-stores.ts';
import { InMemoryTimelinessSource } from '../fakes/in-memory-timeliness-source.ts';

const actor = { id: 'user-123' };
const contract = openApiContract(openApiDocument(apiRoutes));
let source: InMemoryTimelinessSource;
let handler: ReturnType<typeof httpChain>;

beforeEach(() => {
  source = new InMemoryTimelinessSource();
  const idempotency = new InMemoryIdempotencyStore();
  handler = httpChain({
    routes: apiRoutes,
    depsFor: (clock) => ({
      processes: createProcessRegistry([UNTOC_PROCESS, UNCAC_PROCESS]),
      reviews: new InMemoryReviewRepository(idempotency),
      notifications: new InMemoryNotificationReader(),
      timeliness: source,
      clock,
      newId: () => 'rev-new',
    }),
    idempotency,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
});

const newReview = (overrides: Partial<NewReview> = {}): NewReview => ({
  stateUnderReview: 'GRC',
  cluster: 1,
  group: 2,
  instruments: ['UNTOC'],
  reviewingStates: [
    { state: 'AUT', instruments: ['UNTOC'] },
    { state: 'BRA', instruments: ['UNTOC'] },
  ],
  language: 'en',
  launchedAt: '2027-01-11',
  ...overrides,
});

/** A review launched 11 January, extended by a week, moved on 30 January; and one created a day later. */
function twoReviews() {
  const created = createReview(UNTOC_PROCESS, newReview(), {
    id: 'rev-a',
    now: '2027-01-11T09:00:00Z',
    actor,
  });
  const extended = changeDeadline(UNTOC_PROCESS, created.review, '2027-02-01', 'asked', {
    now: '2027-01-20T09:00:00Z',
    actor,
  });
  const moved = transition(
    UNTOC_PROCESS,
    extended.review,
    { to: 'self_assessment' },
    { now: '2027-01-30T09:00:00Z', actor },
  );
  source.records.push({ review: moved.review, history: [created.event, extended.event, moved.event] });
  const other = createReview(UNTOC_PROCESS, newReview({ cluster: 2, reference: '=HYPERLINK(1)' }), {
    id: 'rev-b',
    now: '2027-01-12T09:00:00Z',
    actor,
  });
  source.records.push({ review: other.review, history: [other.event] });
}

async function call(options: EventOptions = {}) {
  const event = apiEvent('GET /reports/timeliness', {
    contentType: null,
    at: '2027-03-01T10:00:00Z',
    ...options,
  });
  const response = await handler(event, {} as Context);
  const query = new URLSearchParams(options.query ?? {}).toString();
  const problems = contract.responseProblems({
    method: 'GET',
    path: `/reports/timeliness${query ? `?${query}` : ''}`,
    status: response.statusCode,
    headers: new Headers(response.headers),
    text: response.body,
  });
  expect(problems, response.body).toEqual([]);
  return response;
}

describe('GET /reports/timeliness', () => {
  it('answers JSON by default, for a viewer too, matching the document', async () => {
    // Arrange
    twoReviews();

    // Act
    const response = await call({ role: 'viewer' });

    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', vary: 'Accept' });
    const body = JSON.parse(response.body);
    expect(body.items.map((r: TimelinessRow) => r.id)).toEqual(['rev-b', 'rev-a']);
    expect(body.items[1].visits[0]).toMatchObject({
      stage: 'launched',
      plannedDays: 14,
      actualDays: 19,
      daysLate: 5,
    });
    expect(body.summary).toEqual([
      expect.objectContaining({ process: 'untoc', stage: 'launched', visits: 2, ongoing: 1, late: 2 }),
      expect.objectContaining({ process: 'untoc', stage: 'self_assessment', visits: 1, ongoing: 1 }),
    ]);
  });

  it('answers CSV for Accept: text/csv, one row per visit, the next cursor in a header', async () => {
    // Arrange
    twoReviews();

    // Act
    const response = await call({ headers: { accept: 'text/csv' }, query: { limit: '1' } });

    // Assert
    expect(response.headers).toMatchObject({ 'content-type': 'text/csv; charset=utf-8', vary: 'Accept' });
    expect(response.headers['x-next-cursor']).toBe('at-1');
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe(TIMELINESS_CSV_COLUMNS.join(','));
    // The reference a spreadsheet would run as a formula is defused.
    expect(lines[1]).toMatch(
      /^'=HYPERLINK\(1\),rev-b,untoc,GRC,2,2,launched,1,2027-01-12,,true,false,2027-01-25,/,
    );
    expect(lines.slice(2)).toEqual(['']);

    const last = await call({ headers: { accept: 'text/csv' }, query: { limit: '1', cursor: 'at-1' } });
    expect(last.headers['x-next-cursor']).toBeUndefined();
    expect(last.body.split('\r\n').slice(1, -1)).toEqual([
      'GRC-C1-2027,rev-a,untoc,GRC,1,2,launched,1,2027-01-11,2027-01-30,false,false,2027-01-25,2027-02-01,14,19,1,7,0,5,Europe/Vienna',
      'GRC-C1-2027,rev-a,untoc,GRC,1,2,self_assessment,2,2027-01-30,,true,false,2027-07-11,2027-07-11,162,30,0,0,0,0,Europe/Vienna',
    ]);
  });

  it('filters by cluster, group and process', async () => {
    // Arrange
    twoReviews();

    // Act
    const response = await call({ query: { cluster: '2', group: '2', process: 'untoc' } });

    // Assert
    expect(JSON.parse(response.body).items.map((r: TimelinessRow) => r.id)).toEqual(['rev-b']);
    expect(source.queries.at(-1)).toEqual({
      cluster: 2,
      group: 2,
      processId: 'untoc',
      limit: 25,
      cursor: undefined,
    });
  });

  it('answers 400 for an unknown query key, a value out of range, an unknown process or a cursor it did not issue', async () => {
    const refused: Record<string, string>[] = [
      { stage: 'launched' },
      { group: '4' },
      { cluster: '0' },
      { process: 'unicef' },
      { limit: '0' },
    ];
    for (const query of refused) {
      const response = await call({ query });
      expect(response.statusCode, JSON.stringify(query)).toBe(400);
      expect(JSON.parse(response.body).error).toBe('VALIDATION_FAILED');
    }
    const forged = await call({ query: { cursor: 'forged' } });
    expect(forged.statusCode).toBe(400);
    expect(JSON.parse(forged.body).issues).toEqual([
      { path: 'query.cursor', message: 'not a cursor this API issued' },
    ]);
  });

  it('answers 401 without a token and 403 without a Secretariat role', async () => {
    expect((await call({ role: 'anonymous' })).statusCode).toBe(401);
    expect((await call({ role: 'none' })).statusCode).toBe(403);
  });
});

describe('negotiateMediaType', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['text/csv', 'text/csv'],
    ['TEXT/CSV; charset=utf-8', 'text/csv'],
    ['text/*', 'text/csv'],
    ['*/*', 'application/json'],
    ['text/csv, */*;q=0.8', 'text/csv'],
    ['text/csv, */*', 'text/csv'],
    ['application/json, text/csv', 'application/json'],
    ['text/csv, application/json', 'text/csv'],
    ['text/csv;q=0.5, application/json', 'application/json'],
    ['application/json;q=0, */*', 'text/csv'],
    ['application/xml', 'application/json'],
    ['text/csv;q=0', 'application/json'],
  ])('answers Accept %j with %s', (accept, expected) => {
    expect(negotiateMediaType(accept, ['text/csv'])).toBe(expected);
  });

  it('offers only JSON to a route without alternatives', () => {
    expect(negotiateMediaType('text/csv', [])).toBe('application/json');
  });
});

describe('timelinessCsv', () => {
  it('quotes as RFC 4180 and defuses every text that starts like a formula', () => {
    expect(
      ['plain', 'a,b', 'say "hi"', 'two\nlines', '=1+1', '+1', '-1', '@SUM(A1)', '\tx'].map(csvText),
    ).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx"]);
  });

  it('writes only a header for no reviews, and null as an empty field, numbers as numbers', () => {
    expect(timelinessCsv({ items: [] })).toBe(`${TIMELINESS_CSV_COLUMNS.join(',')}\r\n`);
    const row: TimelinessRow = {
      id: 'rev-1',
      reference: 'GRC-C1-2027',
      process: 'untoc',
      stateUnderReview: 'GRC',
      cluster: 1,
      group: null,
      stage: 'self_assessment',
      paused: false,
      timeZone: 'Europe/Vienna',
      completedOn: null,
      visits: [
        {
          stage: 'self_assessment',
          stageEpoch: 2,
          enteredAt: '2027-08-01T09:00:00Z',
          enteredOn: '2027-08-01',
          leftAt: null,
          leftOn: null,
          ongoing: true,
          paused: false,
          plannedDeadline: '2027-07-11',
          finalDeadline: '2027-07-11',
          plannedDays: -21,
          actualDays: 10,
          extensions: { count: 0, days: 0 },
          pausedDays: 0,
          daysLate: 31,
        },
      ],
    };
    expect(timelinessCsv({ items: [row] }).split('\r\n')[1]).toBe(
      'GRC-C1-2027,rev-1,untoc,GRC,1,,self_assessment,2,2027-08-01,,true,false,2027-07-11,2027-07-11,-21,10,0,0,0,31,Europe/Vienna',
    );
  });
});
