import type { ProcessDefinition } from '#shared/domain/process-definition.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { NotificationReader } from '#shared/ports/notification-store.ts';
import type { ReviewRepository } from '#shared/ports/review-repository.ts';

/** What the review use cases need; injected by the handler (STYLE.md item 3). */
export interface ReviewDeps {
  process: ProcessDefinition;
  reviews: ReviewRepository;
  notifications: NotificationReader;
  clock: Clock;
  newId: () => string;
}

/** The caller, from the JWT. */
export interface Caller {
  /** Subject (`sub`); recorded in history and the ledger. */
  id: string;
}
