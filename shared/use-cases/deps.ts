import type { ProcessRegistry } from '#shared/domain/process-registry.ts';
import type { Review } from '#shared/domain/review.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { IdempotencyCompletion } from '#shared/ports/idempotency-store.ts';
import type { NotificationReader } from '#shared/ports/notification-store.ts';
import type { RequestLimiter } from '#shared/ports/request-limiter.ts';
import type { ResponseLinks } from '#shared/ports/response-links.ts';
import type { ReviewRepository } from '#shared/ports/review-repository.ts';
import type { TimelinessSource } from '#shared/ports/timeliness-source.ts';
import type { DigestDeps } from './secretariat-digest.ts';

/** What the review use cases need; injected by the handler (STYLE.md item 3). */
export interface ReviewDeps {
  /** The processes the deployment ships: each review's own is resolved here. */
  processes: ProcessRegistry;
  reviews: ReviewRepository;
  notifications: NotificationReader;
  clock: Clock;
  newId: () => string;
  /**
   * What `GET /reports/digest` reads besides the processes: the open reviews, the undeliverable
   * addresses and the deployment's Secretariat address.
   */
  digest?: Omit<DigestDeps, 'processes'> | undefined;
  /** What `GET /reports/timeliness` reads: reviews page by page, each with its history. */
  timeliness?: TimelinessSource | undefined;
  /**
   * The request's idempotency completion for the review a change produces, when the request
   * carries an `Idempotency-Key`: the change's transaction writes it (DESIGN §4).
   */
  completion?: ((review: Review) => IdempotencyCompletion) | undefined;
  /** What the focal-point page (`/respond/{token}`) needs besides the above. */
  respond?: { links: ResponseLinks; limiter: RequestLimiter; secretariatEmail: string } | undefined;
}

/** The caller, from the JWT. */
export interface Caller {
  /** Subject (`sub`); recorded in history and the ledger. */
  id: string;
}
