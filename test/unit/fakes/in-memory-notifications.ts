import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import type { Review } from '#shared/domain/review.ts';
import type { Addressee, DeliveryStore, SendGate } from '#shared/ports/delivery-store.ts';
import type {
  Mailer,
  NotificationQueue,
  OutgoingMail,
  QueuedNotification,
  UndeliverableAddresses,
} from '#shared/ports/mail.ts';
import type {
  Delivery,
  NewNotification,
  NotificationRecord,
  NotificationRef,
  NotificationStore,
  RecordedDeliveries,
  StageEpochRef,
} from '#shared/ports/notification-store.ts';
import { latestOf } from './in-memory-stores.ts';

/** In-memory NotificationStore with the real one's conditional state changes. */
export class InMemoryNotificationStore implements NotificationStore {
  readonly records = new Map<string, NotificationRecord & { claimedAt?: string; claimedBy?: string }>();

  private find(ref: NotificationRef) {
    return this.records.get(ref.id);
  }

  async listForReview(reviewId: string) {
    return [...this.records.values()]
      .filter((r) => r.reviewId === reviewId)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }
  /** Escalations sent, by `<review>#<epoch>`: kept by `finish`, as the real one's tallies are. */
  readonly tallies = new Map<string, number>();
  async escalationsSent(stages: readonly StageEpochRef[]) {
    return new Map(stages.map((s) => [s.reviewId, this.tallies.get(`${s.reviewId}#${s.stageEpoch}`) ?? 0]));
  }
  async latestOfStage(stage: StageEpochRef, kinds: readonly NotificationKind[], limit: number) {
    return latestOf(this.records.values(), stage, kinds, limit);
  }
  async addPlanned(items: NewNotification[]) {
    const written: NewNotification[] = [];
    for (const n of items) {
      const existing = this.records.get(n.id);
      if (existing && existing.status !== 'cancelled') continue;
      this.records.set(n.id, { ...n, status: 'pending', deliveries: [] });
      written.push(n);
    }
    return written;
  }
  /** Who holds each person's stage notice, by `<review>#<epoch>#<state> <address>` (the delivery store's). */
  readonly stageNoticeClaims = new Map<string, string>();
  /** How each stage change was written: `one write` when every derived item was pending. */
  readonly replaced: ('one write' | 'apart')[] = [];
  async replacePlan(
    left: { reviewId: string; stageEpoch: number; reason: string; expected: NotificationRef[] },
    items: NewNotification[],
    now: string,
  ) {
    const asDerived =
      left.expected.every((ref) => this.find(ref)?.status === 'pending') &&
      items.every((n) => !this.records.has(n.id));
    this.replaced.push(asDerived ? 'one write' : 'apart');
    if (!asDerived) {
      const cancelled = await this.cancelPending(left.reviewId, left.reason, now, left.stageEpoch);
      return { written: await this.addPlanned(items), cancelled };
    }
    for (const ref of left.expected) {
      const r = this.find(ref);
      if (r) Object.assign(r, { status: 'cancelled', reason: left.reason });
    }
    return { written: await this.addPlanned(items), cancelled: left.expected.length };
  }
  async cancelPending(
    reviewId: string,
    reason: string,
    _now: string,
    stageEpoch?: number,
    kinds?: NotificationKind[],
  ) {
    let n = 0;
    for (const r of this.records.values()) {
      if (
        r.reviewId === reviewId &&
        r.status === 'pending' &&
        (stageEpoch === undefined || r.stageEpoch === stageEpoch) &&
        (kinds === undefined || kinds.includes(r.kind))
      ) {
        r.status = 'cancelled';
        r.reason = reason;
        n++;
      }
    }
    return n;
  }
  async listDue(now: string, limit: number) {
    return [...this.records.values()].filter((r) => r.status === 'pending' && r.dueAt <= now).slice(0, limit);
  }
  async markQueued(ref: NotificationRef, now: string) {
    const r = this.find(ref);
    if (r?.status !== 'pending') return false;
    r.status = 'queued';
    r.queuedAt = now;
    return true;
  }
  async get(ref: NotificationRef) {
    const r = this.find(ref);
    return r && structuredClone(r);
  }
  async claim(ref: NotificationRef, now: string, staleBefore: string, token: string) {
    const r = this.find(ref);
    if (!r) return false;
    const stale = r.status === 'sending' && (r.claimedAt ?? '') < staleBefore;
    const own = r.status === 'sending' && r.claimedBy === token;
    if (r.status !== 'pending' && r.status !== 'queued' && !stale && !own) return false;
    r.status = 'sending';
    r.claimedAt = now;
    r.claimedBy = token;
    return true;
  }
  async recordDelivery(ref: NotificationRef, delivery: Delivery, position: number) {
    const r = this.find(ref);
    if (r?.status === 'sending' && r.deliveries.length === position) r.deliveries.push(delivery);
  }
  async finish(
    ref: NotificationRef & { kind?: NotificationKind | undefined },
    status: 'sent' | 'skipped' | 'failed',
    now: string,
    reason?: string,
    record?: RecordedDeliveries,
  ) {
    const r = this.find(ref);
    if (r?.status !== 'sending') return;
    writeAt(r, record);
    if (status === 'sent' && ref.kind === 'escalation') {
      const key = `${ref.reviewId}#${ref.stageEpoch}`;
      this.tallies.set(key, (this.tallies.get(key) ?? 0) + 1);
    }
    r.status = status;
    if (status === 'sent') r.sentAt = now;
    if (reason) r.reason = reason;
  }
  async release(ref: NotificationRef, record?: RecordedDeliveries) {
    const r = this.find(ref);
    if (r?.status !== 'sending') return;
    writeAt(r, record);
    r.status = 'queued';
    delete r.claimedAt;
    delete r.claimedBy;
  }
  async skip(ref: NotificationRef, reason: string) {
    const r = this.find(ref);
    if (r && (r.status === 'pending' || r.status === 'queued')) {
      r.status = 'skipped';
      r.reason = reason;
    }
  }
}

/** Deliveries stored at their positions, as the real store's writes do (written twice, the same). */
function writeAt(r: NotificationRecord, record: RecordedDeliveries | undefined) {
  if (!record || r.deliveries.length < record.position) return;
  record.deliveries.forEach((d, i) => {
    r.deliveries[record.position + i] = d;
  });
}

/**
 * In-memory DeliveryStore over the fakes of the notifications, the reviews and the undeliverable
 * addresses, with the real one's all-or-nothing gate; counts its writes.
 */
export class InMemoryDeliveryStore implements DeliveryStore {
  /** Every gate, in order, as it was asked. */
  readonly gates: SendGate[] = [];
  constructor(
    private readonly notifications: InMemoryNotificationStore,
    private readonly reviews: { get(id: string): Promise<Review | undefined> },
    private readonly undeliverable: InMemoryUndeliverable,
  ) {}

  private claimKey(ref: NotificationRef, person: Addressee) {
    return `${ref.reviewId}#${ref.stageEpoch}#${person.state} ${person.email.toLowerCase()}`;
  }

  async read(ref: NotificationRef) {
    return { record: await this.notifications.get(ref), review: await this.reviews.get(ref.reviewId) };
  }

  async gate(ref: NotificationRef, gate: SendGate) {
    this.gates.push(structuredClone(gate));
    const r = this.notifications.records.get(ref.id);
    if (!r || r.deliveries.length < gate.position) return 'duplicate' as const;
    if (gate.claim) {
      const stale = r.status === 'sending' && (r.claimedAt ?? '') < gate.claim.staleBefore;
      const own = r.status === 'sending' && r.claimedBy === gate.token;
      if (r.status !== 'pending' && r.status !== 'queued' && !stale && !own) return 'duplicate' as const;
    } else if (r.status !== 'sending' || r.claimedBy !== gate.token) {
      return 'duplicate' as const;
    }
    const { to } = gate;
    if (to && this.undeliverable.marked.has(to.email.trim().toLowerCase())) return 'undeliverable' as const;
    const holder = to?.stageNotice
      ? this.notifications.stageNoticeClaims.get(this.claimKey(ref, to))
      : undefined;
    if (holder !== undefined && holder !== ref.id) return 'already_notified' as const;
    if (gate.claim) Object.assign(r, { status: 'sending', claimedAt: gate.claim.now, claimedBy: gate.token });
    writeAt(r, { deliveries: gate.record, position: gate.position });
    if (to?.stageNotice) this.notifications.stageNoticeClaims.set(this.claimKey(ref, to), ref.id);
    return 'go' as const;
  }

  async releaseStageNotice(ref: NotificationRef, person: Addressee) {
    const key = this.claimKey(ref, person);
    if (this.notifications.stageNoticeClaims.get(key) === ref.id)
      this.notifications.stageNoticeClaims.delete(key);
  }
}

/** Records what was queued; can be told to fail. */
export class RecordingQueue implements NotificationQueue {
  readonly sent: { target: string; item: QueuedNotification }[] = [];
  failNext = false;
  async enqueue(target: 'focal_point' | 'escalation', items: QueuedNotification[]) {
    if (this.failNext) {
      this.failNext = false;
      return items.map((i) => i.id);
    }
    for (const item of items) this.sent.push({ target, item });
    return [];
  }
}

/** Records mail; can throw on the n-th send. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  failOn: number | undefined;
  failWith: Error = new Error('boom');
  async send(mail: OutgoingMail) {
    if (this.failOn !== undefined && this.sent.length + 1 === this.failOn) {
      this.failOn = undefined;
      throw this.failWith;
    }
    this.sent.push(mail);
    return `msg-${this.sent.length}`;
  }
}

export class InMemoryUndeliverable implements UndeliverableAddresses {
  readonly marked = new Set<string>();
  async undeliverableAmong(emails: string[]) {
    return new Set(emails.map((e) => e.toLowerCase()).filter((e) => this.marked.has(e)));
  }
  async mark(email: string) {
    const key = email.toLowerCase();
    if (this.marked.has(key)) return false;
    this.marked.add(key);
    return true;
  }
}
