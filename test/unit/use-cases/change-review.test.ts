import { describe, expect, it } from 'vitest';
import { VersionConflictError } from '#shared/domain/errors.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import type { Review, ReviewEvent } from '#shared/domain/review.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import {
  changeDeadlineUseCase,
  createReviewUseCase,
  pauseReviewUseCase,
  recordSubmissionUseCase,
  resumeReviewUseCase,
  setExpertsUseCase,
  setFocalPointUseCase,
  transitionReviewUseCase,
  withdrawSubmissionUseCase,
} from '#shared/use-cases/change-review.ts';
import { aNewReview } from '../domain/factories.ts';
import { InMemoryNotificationReader, InMemoryReviewRepository } from '../fakes/in-memory-stores.ts';

/** A repository where another writer bumps the version just before each of our first `n` saves. */
class RacingRepository extends InMemoryReviewRepository {
  constructor(public races: number) {
    super();
  }
  override async save(review: Review, event: ReviewEvent, basedOnVersion: number) {
    if (this.races > 0) {
      this.races--;
      const stored = this.reviews.get(review.id);
      if (stored) this.reviews.set(review.id, { ...stored, version: stored.version + 1 });
    }
    return super.save(review, event, basedOnVersion);
  }
}

function deps(reviews: InMemoryReviewRepository) {
  return {
    processes: createProcessRegistry([UNTOC_PROCESS]),
    reviews,
    notifications: new InMemoryNotificationReader(),
    clock: fixedClock('2027-01-20T10:00:00Z'),
    newId: () => 'rev-1',
  };
}
const caller = { id: 'user-1' };

describe('transitionReviewUseCase', () => {
  it('uses one read and one write when nobody races', async () => {
    const reviews = new InMemoryReviewRepository();
    await createReviewUseCase(deps(reviews), caller, aNewReview());
    reviews.calls = 0;
    await transitionReviewUseCase(deps(reviews), caller, 'rev-1', { to: 'self_assessment' });
    expect(reviews.calls).toBe(2);
  });

  it('recomputes on the fresh review when another writer won and no version was pinned', async () => {
    const reviews = new RacingRepository(1);
    await createReviewUseCase(deps(reviews), caller, aNewReview());
    const review = await transitionReviewUseCase(deps(reviews), caller, 'rev-1', { to: 'self_assessment' });
    expect(review.version).toBe(3);
  });

  it('reports a conflict with the current version when the pinned version lost the race', async () => {
    const reviews = new RacingRepository(1);
    await createReviewUseCase(deps(reviews), caller, aNewReview());
    const attempt = transitionReviewUseCase(deps(reviews), caller, 'rev-1', {
      to: 'self_assessment',
      expectedVersion: 1,
    });
    await expect(attempt).rejects.toThrow(VersionConflictError);
    await expect(attempt).rejects.toMatchObject({ currentVersion: 2 });
  });

  it('outlasts a handful of concurrent writers without a pinned version', async () => {
    const reviews = new RacingRepository(8);
    await createReviewUseCase(deps(reviews), caller, aNewReview());
    const review = await transitionReviewUseCase(deps(reviews), caller, 'rev-1', { to: 'self_assessment' });
    expect(review.stage).toBe('self_assessment');
  });

  it('gives up after ten lost races', async () => {
    const reviews = new RacingRepository(10);
    await createReviewUseCase(deps(reviews), caller, aNewReview());
    await expect(
      transitionReviewUseCase(deps(reviews), caller, 'rev-1', { to: 'self_assessment' }),
    ).rejects.toThrow(VersionConflictError);
  });
});

type Deps = ReturnType<typeof deps>;
const person = { name: 'Karl Berger', email: 'karl@aut.example', language: 'en' as const };

/** Every other change, pinned to `v`; `setUp` brings the review where the change applies. */
const pinnedChanges: {
  name: string;
  setUp?: (d: Deps) => Promise<unknown>;
  change: (d: Deps, v: number | undefined) => Promise<Review>;
}[] = [
  {
    name: 'setFocalPointUseCase',
    change: (d, v) => setFocalPointUseCase(d, caller, 'rev-1', 'AUT', person, v),
  },
  { name: 'setExpertsUseCase', change: (d, v) => setExpertsUseCase(d, caller, 'rev-1', 'AUT', [person], v) },
  {
    name: 'recordSubmissionUseCase',
    change: (d, v) => recordSubmissionUseCase(d, caller, 'rev-1', { state: 'GRC', expectedVersion: v }),
  },
  {
    name: 'withdrawSubmissionUseCase',
    setUp: (d) => recordSubmissionUseCase(d, caller, 'rev-1', { state: 'GRC' }),
    change: (d, v) => withdrawSubmissionUseCase(d, caller, 'rev-1', 'GRC', v),
  },
  { name: 'pauseReviewUseCase', change: (d, v) => pauseReviewUseCase(d, caller, 'rev-1', 'elections', v) },
  {
    name: 'resumeReviewUseCase',
    setUp: (d) => pauseReviewUseCase(d, caller, 'rev-1', 'elections'),
    change: (d, v) => resumeReviewUseCase(d, caller, 'rev-1', 'formed', v),
  },
  {
    name: 'changeDeadlineUseCase',
    change: (d, v) =>
      changeDeadlineUseCase(d, caller, 'rev-1', {
        deadline: '2027-03-01',
        reason: 'translation',
        expectedVersion: v,
      }),
  },
];

describe.each(pinnedChanges)('$name', ({ setUp, change }) => {
  /** The review created and set up, with `races` other writers armed for the change. */
  async function arranged(races: number) {
    const reviews = new RacingRepository(0);
    await createReviewUseCase(deps(reviews), caller, aNewReview());
    await setUp?.(deps(reviews));
    reviews.races = races;
    const version = (await reviews.get('rev-1'))?.version ?? 0;
    return { reviews, version };
  }

  it('applies the change at the expected version', async () => {
    const { reviews, version } = await arranged(0);
    const review = await change(deps(reviews), version);
    expect(review.version).toBe(version + 1);
  });

  it('reports a conflict with the current version, writing nothing, for a version the review is not at', async () => {
    const { reviews, version } = await arranged(0);
    const attempt = change(deps(reviews), version + 1);
    await expect(attempt).rejects.toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: version });
    expect((await reviews.get('rev-1'))?.version).toBe(version);
  });

  it('reports a conflict with the current version when the pinned version lost the race', async () => {
    const { reviews, version } = await arranged(1);
    const attempt = change(deps(reviews), version);
    await expect(attempt).rejects.toThrow(VersionConflictError);
    await expect(attempt).rejects.toMatchObject({ currentVersion: version + 1 });
  });

  it('recomputes on the fresh review when another writer won and no version was pinned', async () => {
    const { reviews, version } = await arranged(1);
    const review = await change(deps(reviews), undefined);
    expect(review.version).toBe(version + 2);
  });
});
