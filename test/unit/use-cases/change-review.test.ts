import { describe, expect, it } from 'vitest';
import { VersionConflictError } from '#shared/domain/errors.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import type { Review, ReviewEvent } from '#shared/domain/review.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import { createReviewUseCase, transitionReviewUseCase } from '#shared/use-cases/change-review.ts';
import { aNewReview } from '../domain/factories.ts';
import { InMemoryNotificationReader, InMemoryReviewRepository } from '../fakes/in-memory-stores.ts';

/** A repository where another writer bumps the version just before each of our first `n` saves. */
class RacingRepository extends InMemoryReviewRepository {
  constructor(private races: number) {
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
