import type { Review } from '#shared/domain/review.ts';

/**
 * Where the Secretariat digest reads its reviews (DESIGN §2, "Secretariat digest"): every
 * review still open, in a few paged reads of an index, never one read per review and never a
 * scan (DESIGN §6: the digest costs O(page)).
 */
export interface DigestSource {
  /**
   * Every review whose stage is not one of `closedStages` (the terminal stages of the processes
   * the deployment ships), paused ones included, oldest first.
   */
  openReviews(closedStages: readonly string[]): Promise<Review[]>;
}
