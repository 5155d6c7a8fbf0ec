import * as fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { type ImportedReview, importReview } from '#shared/domain/review.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import type { ReviewDeps } from '#shared/use-cases/deps.ts';
import { type ImportRow, importReviewsUseCase } from '#shared/use-cases/import-reviews.ts';
import { planFromReviewChange } from '#shared/use-cases/plan-notifications.ts';
import { aNewReview, secretariat } from '../domain/factories.ts';
import { InMemoryNotificationStore, RecordingQueue } from '../fakes/in-memory-notifications.ts';
import { InMemoryNotificationReader, InMemoryReviewRepository } from '../fakes/in-memory-stores.ts';

/** DESIGN §4, import: reviews already in flight come in quietly, each row on its own, safely twice. */
const NOW = '2026-12-07T10:00:00Z';
const processes = createProcessRegistry(BUILT_IN_PROCESSES);

/** Greece's desk review, entered on 1 June 2026 with its default deadline (1 December): overdue now. */
function inFlight(overrides: Partial<ImportedReview> = {}): ImportedReview {
  return {
    ...aNewReview({ launchedAt: '2025-11-03', reference: 'GRC-C1-2025' }),
    stage: 'desk_review',
    stageEnteredAt: '2026-06-01',
    ...overrides,
  };
}
const ctx = { id: 'rev-1', now: NOW, actor: secretariat };

describe('importReview', () => {
  it('stands the review in its stage since the day given, with that stage default deadline', () => {
    const { review, event } = importReview(UNTOC_PROCESS, inFlight(), ctx);
    expect(review).toMatchObject({
      stage: 'desk_review',
      stageEpoch: 1,
      stageEnteredAt: '2026-05-31T22:00:00Z',
      deadline: '2026-12-01',
      reference: 'GRC-C1-2025',
      imported: { at: NOW, by: secretariat.id },
      version: 1,
    });
    expect(event).toMatchObject({
      type: 'imported',
      stage: 'desk_review',
      enteredAt: '2026-05-31T22:00:00Z',
    });
  });

  it('keeps a deadline given, none when told, and the submissions already in', () => {
    const { review } = importReview(
      UNTOC_PROCESS,
      inFlight({
        deadline: '2027-02-15',
        submissions: [{ state: 'AUT', receivedAt: '2026-09-01T12:00:00+02:00' }],
      }),
      ctx,
    );
    expect(review.deadline).toBe('2027-02-15');
    expect(review.submissions).toEqual([
      { state: 'AUT', receivedAt: '2026-09-01T10:00:00Z', by: secretariat.id },
    ]);
    expect(importReview(UNTOC_PROCESS, inFlight({ deadline: null }), ctx).review.deadline).toBeNull();
  });

  it.each([
    [{ stage: 'nonsense' }, 'stage'],
    [{ stageEnteredAt: '2027-01-01' }, 'stageEnteredAt'],
    [{ stageEnteredAt: '2025-01-01' }, 'stageEnteredAt'],
    [{ submissions: [{ state: 'GRC' }] }, 'submissions.0.state'],
    [{ submissions: [{ state: 'AUT' }, { state: 'AUT' }] }, 'submissions.1.state'],
    [{ submissions: [{ state: 'AUT', receivedAt: '2027-06-01T00:00:00Z' }] }, 'submissions.0.receivedAt'],
    [{ stage: 'completed', deadline: '2027-01-01' }, 'deadline'],
    [{ deadline: '2101-01-01' }, 'deadline'],
  ])('refuses %j at %s', (overrides, path) => {
    expect(() => importReview(UNTOC_PROCESS, inFlight(overrides as Partial<ImportedReview>), ctx)).toThrow(
      expect.objectContaining({ issues: expect.arrayContaining([expect.objectContaining({ path })]) }),
    );
  });

  it('brings in a completed review with no deadline', () => {
    const { review } = importReview(UNTOC_PROCESS, inFlight({ stage: 'completed' }), ctx);
    expect(review).toMatchObject({ stage: 'completed', deadline: null });
  });
});

describe('planning an imported review', () => {
  let notifications: InMemoryNotificationStore;
  let queue: RecordingQueue;
  beforeEach(() => {
    notifications = new InMemoryNotificationStore();
    queue = new RecordingQueue();
  });
  const plan = (review: ReturnType<typeof importReview>['review']) =>
    planFromReviewChange({ processes, notifications, queue }, { newReview: review });

  it('starts quiet: no stage notice, no overdue notice or escalation already due, the next rung ahead', async () => {
    const { review } = importReview(UNTOC_PROCESS, inFlight(), ctx);
    const outcome = await plan(review);
    const planned = [...notifications.records.values()];
    expect(outcome.queued).toBe(0);
    expect(queue.sent).toEqual([]);
    expect(planned.some((n) => n.kind === 'stage_notice' || n.kind === 'overdue_notice')).toBe(false);
    expect(planned.every((n) => n.dueAt > NOW)).toBe(true);
    // Deadline 1 Dec: +1 (2 Dec) is past; +14 (Tue 15 Dec) is the next escalation rung.
    expect(planned.filter((n) => n.kind === 'escalation').map((n) => n.offsetDays)).toEqual([
      14, 44, 74, 104, 134,
    ]);
  });

  it('plans nothing already due, whatever stage, entry and deadline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('launched', 'self_assessment', 'desk_review', 'dialogue', 'observations', 'summary'),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: -200, max: 200 }),
        async (stage, enteredDaysAgo, deadlineInDays) => {
          notifications = new InMemoryNotificationStore();
          queue = new RecordingQueue();
          const entered = new Date(Date.parse(NOW) - enteredDaysAgo * 86_400_000).toISOString().slice(0, 10);
          const deadline = new Date(Date.parse(NOW) + deadlineInDays * 86_400_000).toISOString().slice(0, 10);
          const { review } = importReview(
            UNTOC_PROCESS,
            inFlight({ stage, stageEnteredAt: entered < '2025-11-03' ? '2025-11-03' : entered, deadline }),
            ctx,
          );
          await plan(review);
          const planned = [...notifications.records.values()];
          return queue.sent.length === 0 && planned.every((n) => n.dueAt > NOW && n.kind !== 'stage_notice');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('importReviewsUseCase', () => {
  let reviews: InMemoryReviewRepository;
  let ids = 0;
  beforeEach(() => {
    reviews = new InMemoryReviewRepository();
  });
  const deps = (): ReviewDeps => ({
    processes,
    reviews,
    notifications: new InMemoryNotificationReader(),
    clock: fixedClock(NOW),
    newId: () => `rev-${++ids}`,
  });
  const rows = (...reviews: ImportedReview[]): ImportRow[] =>
    reviews.map((review, i) => ({ row: i + 1, review }));

  it('answers each row on its own: created, invalid with its issues, and exists on a second run', async () => {
    const input = [
      ...rows(
        inFlight(),
        inFlight({
          reference: 'AUT-C1-2025',
          stateUnderReview: 'AUT',
          reviewingStates: [
            { state: 'GRC', instruments: ['UNTOC', 'TIP'] },
            { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
          ],
          focalPoints: {},
        }),
      ),
      { row: 3, issues: [{ path: 'cluster', message: 'Required' }] },
      { row: 4, review: inFlight({ reference: 'FRA-C1-2025', stage: 'nonsense' }) },
    ];
    const first = await importReviewsUseCase(deps(), secretariat, { dryRun: false, rows: input });
    expect(first.map((r) => r.status)).toEqual(['created', 'created', 'invalid', 'invalid']);
    expect(first[3]?.issues).toEqual([expect.objectContaining({ path: 'stage' })]);
    expect(reviews.reviews.size).toBe(2);

    const again = await importReviewsUseCase(deps(), secretariat, { dryRun: false, rows: input });
    expect(again.map((r) => r.status)).toEqual(['exists', 'exists', 'invalid', 'invalid']);
    expect(again[0]?.id).toBe(first[0]?.id);
    expect(reviews.reviews.size).toBe(2);
  });

  it('writes nothing on a dry run, and still finds what exists', async () => {
    await importReviewsUseCase(deps(), secretariat, { dryRun: false, rows: rows(inFlight()) });
    const dry = await importReviewsUseCase(deps(), secretariat, {
      dryRun: true,
      rows: rows(inFlight(), inFlight({ reference: 'GRC-C1-2025-B' })),
    });
    expect(dry.map((r) => r.status)).toEqual(['exists', 'valid']);
    expect(reviews.reviews.size).toBe(1);
  });

  it('refuses a reference repeated in one call, keeping the first row', async () => {
    const result = await importReviewsUseCase(deps(), secretariat, {
      dryRun: false,
      rows: rows(inFlight(), inFlight({ reference: 'grc-c1-2025' })),
    });
    expect(result.map((r) => r.status)).toEqual(['created', 'invalid']);
    expect(result[1]?.issues?.[0]?.message).toContain('row 1');
  });

  it('uses the plain reference when none is given, so the same row twice is found again', async () => {
    const row = inFlight({ reference: undefined });
    const first = await importReviewsUseCase(deps(), secretariat, { dryRun: false, rows: rows(row) });
    const again = await importReviewsUseCase(deps(), secretariat, { dryRun: false, rows: rows(row) });
    expect(first[0]).toMatchObject({ status: 'created', reference: 'GRC-C1-2025' });
    expect(again[0]).toMatchObject({ status: 'exists', reference: 'GRC-C1-2025' });
  });

  it('refuses a process not shipped, and a uncac review with a UNTOC instrument', async () => {
    const result = await importReviewsUseCase(deps(), secretariat, {
      dryRun: true,
      rows: rows(inFlight({ process: 'nope' }), inFlight({ process: 'uncac', reference: 'X-1' })),
    });
    expect(result.map((r) => r.issues?.[0]?.path)).toEqual(['process', 'instruments.0']);
  });
});
