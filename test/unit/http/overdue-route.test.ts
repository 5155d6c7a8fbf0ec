import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { createReview, type NewReview, pause, type Review } from '#shared/domain/review.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { httpChain } from '#shared/http/http-chain.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import type { NotificationRecord } from '#shared/ports/notification-store.ts';
import type { OverdueItem } from '#shared/use-cases/read-reviews.ts';
import { openApiContract } from '../../integration/support/openapi-contract.ts';
import { apiEvent, type EventOptions } from '../fakes/api-events.ts';
import {
  InMemoryIdempotencyStore,
  InMemoryNotificationReader,
  InMemoryReviewRepository,
} from '../fakes/in-memory-stores.ts';

const actor = { id: 'user-123' };
const AT = '2027-03-01T10:00:00Z';
const contract = openApiContract(openApiDocument(apiRoutes));
let reviews: InMemoryReviewRepository;
let notifications: InMemoryNotificationReader;
let handler: ReturnType<typeof httpChain>;

beforeEach(() => {
  const idempotency = new InMemoryIdempotencyStore();
  reviews = new InMemoryReviewRepository(idempotency);
  notifications = new InMemoryNotificationReader();
  handler = httpChain({
    routes: apiRoutes,
    depsFor: (clock) => ({
      processes: createProcessRegistry([UNTOC_PROCESS]),
      reviews,
      notifications,
      clock,
      newId: () => 'rev-new',
    }),
    idempotency,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
});

const newReview = (launchedAt: string): NewReview => ({
  stateUnderReview: 'GRC',
  cluster: 1,
  instruments: ['UNTOC'],
  reviewingStates: [
    { state: 'AUT', instruments: ['UNTOC'] },
    { state: 'BRA', instruments: ['UNTOC'] },
  ],
  language: 'en',
  launchedAt,
});

function stored(id: string, launchedAt: string): Review {
  const { review } = createReview(UNTOC_PROCESS, newReview(launchedAt), {
    id,
    now: `${launchedAt}T09:00:00Z`,
    actor,
    reference: `REF-${id}`,
  });
  reviews.reviews.set(id, review);
  return review;
}

function sentEscalation(review: Review, occurrence: number): NotificationRecord {
  return {
    id: `${review.id}#${review.stageEpoch}#${review.deadline}#escalation#${occurrence}`,
    reviewId: review.id,
    stage: review.stage,
    stageEpoch: review.stageEpoch,
    deadline: review.deadline,
    kind: 'escalation',
    occurrence,
    offsetDays: occurrence,
    audience: 'secretariat',
    dueAt: '2027-02-01T08:00:00Z',
    status: 'sent',
    deliveries: [{ recipient: 'SECRETARIAT', status: 'sent' }],
  };
}

/** Five overdue reviews (first-stage deadlines 18–22 January), one paused, one not yet due. */
function caseload(): string[] {
  const overdue = ['rev-e', 'rev-d', 'rev-c', 'rev-b', 'rev-a'].map((id, i) =>
    stored(id, `2027-01-0${i + 4}`),
  );
  const [first] = overdue;
  if (first) notifications.records.push(sentEscalation(first, 1), sentEscalation(first, 2));
  const paused = stored('rev-paused', '2027-01-04');
  reviews.reviews.set(paused.id, pause(UNTOC_PROCESS, paused, 'asked', { now: AT, actor }).review);
  stored('rev-later', '2027-02-20');
  return overdue.map((r) => r.id);
}

async function call(options: EventOptions = {}) {
  const response = await handler(
    apiEvent('GET /reports/overdue', { contentType: null, at: AT, ...options }),
    {} as Context,
  );
  const query = new URLSearchParams(options.query ?? {}).toString();
  const problems = contract.responseProblems({
    method: 'GET',
    path: `/reports/overdue${query ? `?${query}` : ''}`,
    status: response.statusCode,
    headers: new Headers(response.headers),
    text: response.body,
  });
  expect(problems, response.body).toEqual([]);
  return { ...response, json: JSON.parse(response.body) };
}

describe('GET /reports/overdue', () => {
  it('pages through every overdue review once, most overdue first, for a viewer, one read of each store a page', async () => {
    // Arrange
    const expected = caseload();

    // Act
    const seen: OverdueItem[] = [];
    const reads: { reviews: number; notifications: number }[] = [];
    let cursor: string | undefined;
    do {
      const before = { reviews: reviews.calls, notifications: notifications.calls };
      const page = await call({ role: 'viewer', query: { limit: '2', ...(cursor ? { cursor } : {}) } });
      expect(page.statusCode).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items);
      reads.push({
        reviews: reviews.calls - before.reviews,
        notifications: notifications.calls - before.notifications,
      });
      cursor = page.json.nextCursor ?? undefined;
    } while (cursor !== undefined);

    // Assert
    expect(seen.map((i) => i.id)).toEqual(expected);
    expect(seen[0]).toMatchObject({ id: 'rev-e', deadline: '2027-01-18', daysOverdue: 42, escalations: 2 });
    expect(seen[0]?.owing).toEqual(['GRC', 'AUT', 'BRA']);
    expect(seen.slice(1).map((i) => i.escalations)).toEqual([0, 0, 0, 0]);
    expect(reads).toEqual([
      { reviews: 1, notifications: 1 },
      { reviews: 1, notifications: 1 },
      { reviews: 1, notifications: 1 },
    ]);
  });

  it('answers one page of 25 by default, with no cursor when nothing more is overdue', async () => {
    // Arrange
    const expected = caseload();

    // Act
    const response = await call();

    // Assert
    expect(response.json.items.map((i: OverdueItem) => i.id)).toEqual(expected);
    expect(response.json.nextCursor).toBeNull();
  });

  it('answers 400 for a cursor it did not issue, a limit out of range or an unknown query key', async () => {
    // Arrange
    caseload();

    // Act
    const forged = await call({ query: { cursor: 'forged' } });
    const queries: Record<string, string>[] = [
      { limit: '0' },
      { limit: '101' },
      { limit: 'ten' },
      { stage: 'launched' },
    ];
    const refused = await Promise.all(queries.map((query) => call({ query })));

    // Assert
    expect(forged.statusCode).toBe(400);
    expect(forged.json).toMatchObject({
      error: 'VALIDATION_FAILED',
      issues: [{ path: 'query.cursor', message: 'not a cursor this API issued' }],
    });
    expect(refused.map((r) => [r.statusCode, r.json.error])).toEqual(
      Array.from({ length: 4 }, () => [400, 'VALIDATION_FAILED']),
    );
  });

  it('answers 401 without a token and 403 without a Secretariat role', async () => {
    expect((await call({ role: 'anonymous' })).statusCode).toBe(401);
    expect((await call({ role: 'none' })).statusCode).toBe(403);
  });
});
