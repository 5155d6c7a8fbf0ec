import { describe, expect, it } from 'vitest';
import { HmacResponseLinks } from '#shared/adapters/hmac-response-links.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import { StaleVersionError } from '#shared/ports/review-repository.ts';
import { respondUseCase } from '#shared/use-cases/respond.ts';
import { aReview } from '../domain/factories.ts';
import { InMemoryReviewRepository } from '../fakes/in-memory-stores.ts';

/** The focal-point page's use case when the review's writes keep losing races: a page, not a 409. */
describe('the focal-point page under contention', () => {
  it('answers the 503 page (try again) when every write loses its race, and writes nothing', async () => {
    const reviews = new InMemoryReviewRepository();
    const review = aReview('2027-01-11T09:00:00Z');
    reviews.reviews.set(review.id, review);
    reviews.save = async () => {
      throw new StaleVersionError();
    };
    const secret = new Uint8Array(32).fill(7);
    const links = new HmacResponseLinks({ keys: async () => [secret], reload: async () => undefined });
    const focalPoint = review.focalPoints.GRC;
    if (!focalPoint) throw new Error('the factory registers a focal point for GRC');
    const token = await links.tokenFor({
      reviewId: review.id,
      stageEpoch: review.stageEpoch,
      state: 'GRC',
      role: 'focal_point',
      language: 'en',
      expiresOn: '2027-12-31',
      email: focalPoint.email,
    });
    const csrf = (await links.read(token))?.formKey;
    const page = await respondUseCase(
      {
        processes: createProcessRegistry([UNTOC_PROCESS]),
        reviews,
        clock: fixedClock('2027-01-12T09:00:00Z'),
        newId: () => 'id',
        links,
        limiter: { take: async () => ({ allowed: true }) },
        secretariatEmail: 'secretariat@un.example',
      },
      token,
      { action: 'acknowledge', csrf },
    );
    expect(page).toMatchObject({ kind: 'refused', refusal: 'unavailable', retryAfterSeconds: 1 });
    expect(reviews.events).toEqual([]);
  });
});
