import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { createReview, type NewReview, type Review } from '#shared/domain/review.ts';

/** A valid new review: Greece reviewed by Austria and Brazil for UNTOC and TIP. */
export function aNewReview(overrides: Partial<NewReview> = {}): NewReview {
  return {
    stateUnderReview: 'GRC',
    cluster: 1,
    group: 2,
    instruments: ['UNTOC', 'TIP'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC', 'TIP'] },
      { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
    ],
    language: 'en',
    launchedAt: '2027-01-11',
    focalPoints: {
      GRC: { name: 'Eleni Papadopoulou', email: 'fp@grc.example', language: 'en' },
    },
    ...overrides,
  };
}

export const secretariat = { id: 'user-123' };

/** A review created at `now` in the initial stage. */
export function aReview(now = '2027-01-11T09:00:00Z', overrides: Partial<NewReview> = {}): Review {
  return createReview(UNTOC_PROCESS, aNewReview(overrides), { id: 'rev-1', now, actor: secretariat }).review;
}
