import { ReferenceTakenError } from '#shared/domain/errors.ts';
import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import type { Review, ReviewEvent } from '#shared/domain/review.ts';
import {
  type IdempotencyBegin,
  type IdempotencyClaim,
  IdempotencyClaimLostError,
  type IdempotencyCompletion,
  type IdempotencyStore,
  type StoredResponse,
} from '#shared/ports/idempotency-store.ts';
import type {
  NotificationReader,
  NotificationRecord,
  StageEpochRef,
} from '#shared/ports/notification-store.ts';
import {
  InvalidCursorError,
  type PageRequest,
  type ReviewPage,
  type ReviewQuery,
  type ReviewRepository,
  StaleVersionError,
  type StoredEvent,
} from '#shared/ports/review-repository.ts';

/** A page of `all` after a cursor that is the index to start from (anything else is refused, as the real one's). */
function pageOf(all: Review[], page: PageRequest): ReviewPage {
  let start = 0;
  if (page.cursor !== undefined) {
    start = Number(page.cursor);
    if (!/^\d+$/.test(page.cursor) || !Number.isInteger(start)) throw new InvalidCursorError();
  }
  const items = all.slice(start, start + page.limit);
  return { items, nextCursor: start + page.limit < all.length ? String(start + page.limit) : null };
}

/** In-memory ReviewRepository with the real one's version rule; completions land with the change, as in one transaction. */
export class InMemoryReviewRepository implements ReviewRepository {
  readonly reviews = new Map<string, Review>();
  readonly events: StoredEvent[] = [];
  calls = 0;

  constructor(private readonly idempotency?: InMemoryIdempotencyStore) {}

  private guard(completion: IdempotencyCompletion | undefined) {
    if (!completion) return () => undefined;
    if (!this.idempotency) throw new Error('no idempotency store to complete');
    return this.idempotency.prepare(completion);
  }

  async get(id: string) {
    this.calls++;
    const review = this.reviews.get(id);
    return review && structuredClone(review);
  }

  async idForReference(reference: string) {
    this.calls++;
    return [...this.reviews.values()].find((r) => r.reference.toUpperCase() === reference.toUpperCase())?.id;
  }

  async create(review: Review, event: ReviewEvent, completion?: IdempotencyCompletion) {
    this.calls++;
    const commit = this.guard(completion);
    if (this.reviews.has(review.id)) throw new Error('exists');
    const reference = review.reference.toUpperCase();
    if ([...this.reviews.values()].some((r) => r.reference.toUpperCase() === reference))
      throw new ReferenceTakenError(review.reference);
    this.reviews.set(review.id, structuredClone(review));
    this.events.push({ ...event, reviewId: review.id });
    commit();
  }

  async save(review: Review, event: ReviewEvent, basedOnVersion: number, completion?: IdempotencyCompletion) {
    this.calls++;
    const commit = this.guard(completion);
    if (this.reviews.get(review.id)?.version !== basedOnVersion) throw new StaleVersionError();
    this.reviews.set(review.id, structuredClone(review));
    this.events.push({ ...event, reviewId: review.id });
    commit();
  }

  async list(query: ReviewQuery): Promise<ReviewPage> {
    const all = [...this.reviews.values()]
      .sort((a, b) =>
        a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt),
      )
      .filter((r) => !query.stage || r.stage === query.stage)
      .filter((r) => !query.cluster || r.cluster === query.cluster)
      .filter(
        (r) =>
          !query.state ||
          r.stateUnderReview === query.state ||
          r.reviewingStates.some((s) => s.state === query.state),
      )
      .filter(
        (r) => !query.overdueBefore || (!r.paused && r.deadline !== null && r.deadline < query.overdueBefore),
      );
    return pageOf(all, query);
  }

  async listDeadlinesBefore(date: string, page: PageRequest): Promise<ReviewPage> {
    this.calls++;
    const all = [...this.reviews.values()]
      .filter((r) => !r.paused && r.deadline !== null && r.deadline < date)
      .sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? '') || a.id.localeCompare(b.id));
    return pageOf(all, page);
  }

  async history(id: string) {
    return this.events.filter((e) => e.reviewId === id);
  }
}

/** In-memory NotificationReader. */
export class InMemoryNotificationReader implements NotificationReader {
  readonly records: NotificationRecord[] = [];
  async listForReview(reviewId: string) {
    return this.records.filter((r) => r.reviewId === reviewId);
  }
  calls = 0;
  async escalationsSent(stages: readonly StageEpochRef[]) {
    this.calls++;
    return sentEscalations(this.records, stages);
  }
  async latestOfStage(stage: StageEpochRef, kinds: readonly NotificationKind[], limit: number) {
    this.calls++;
    return latestOf(this.records, stage, kinds, limit);
  }
}

/** How many escalations each stage epoch has had sent, by review id, as the real tallies count them. */
export function sentEscalations(
  records: Iterable<NotificationRecord>,
  stages: readonly StageEpochRef[],
): Map<string, number> {
  const all = [...records];
  return new Map(
    stages.map((s) => [
      s.reviewId,
      all.filter(
        (r) =>
          r.reviewId === s.reviewId &&
          r.stageEpoch === s.stageEpoch &&
          r.kind === 'escalation' &&
          r.status === 'sent',
      ).length,
    ]),
  );
}

/** A stage epoch's latest `limit` notifications (by deadline, as the real one's key orders them), of some kinds, in due order. */
export function latestOf(
  records: Iterable<NotificationRecord>,
  stage: StageEpochRef,
  kinds: readonly NotificationKind[],
  limit: number,
): { items: NotificationRecord[]; complete: boolean } {
  const epoch = [...records]
    .filter((r) => r.reviewId === stage.reviewId && r.stageEpoch === stage.stageEpoch)
    .sort((a, b) => b.id.localeCompare(a.id));
  const read = epoch.slice(0, limit);
  return {
    items: read
      .filter((r) => kinds.includes(r.kind))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id))
      .map((r) => structuredClone(r)),
    complete: read.length === epoch.length,
  };
}

/** In-memory IdempotencyStore with the real one's outcomes (claims carry a token). */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, { fingerprint: string; token: string; response?: StoredResponse }>();
  private tokens = 0;
  async begin(key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const found = this.records.get(key);
    if (!found) {
      const token = `t${++this.tokens}`;
      this.records.set(key, { fingerprint, token });
      return { outcome: 'started', claim: { key, token } };
    }
    if (found.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    return found.response
      ? { outcome: 'replay', response: found.response }
      : { outcome: 'in_progress', retryAfterSeconds: 30 };
  }
  /** Checks the claim now and returns the write that completes it (the repository's "transaction"). */
  prepare(completion: IdempotencyCompletion): () => void {
    const found = this.records.get(completion.claim.key);
    if (!found || found.response || found.token !== completion.claim.token)
      throw new IdempotencyClaimLostError();
    return () => {
      found.response = completion.response;
    };
  }
  async complete(completion: IdempotencyCompletion) {
    const found = this.records.get(completion.claim.key);
    if (found && !found.response && found.token === completion.claim.token)
      found.response = completion.response;
  }
  async release(claim: IdempotencyClaim) {
    const found = this.records.get(claim.key);
    if (found && !found.response && found.token === claim.token) this.records.delete(claim.key);
  }
}
