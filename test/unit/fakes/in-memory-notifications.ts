import type { NotificationKind } from '#shared/domain/notification-plan.ts';
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
} from '#shared/ports/notification-store.ts';

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
  async countSent(reviewId: string, stageEpoch: number, kind: NotificationKind) {
    return [...this.records.values()].filter(
      (r) => r.reviewId === reviewId && r.stageEpoch === stageEpoch && r.kind === kind && r.status === 'sent',
    ).length;
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
  /** Who holds each person's stage notice, by `<review>#<epoch>#<state> <address>`. */
  readonly stageNoticeClaims = new Map<string, string>();
  async claimStageNotice(ref: NotificationRef, person: { state: string; email: string }) {
    const key = `${ref.reviewId}#${ref.stageEpoch}#${person.state} ${person.email.toLowerCase()}`;
    const holder = this.stageNoticeClaims.get(key);
    if (holder !== undefined && holder !== ref.id) return false;
    this.stageNoticeClaims.set(key, ref.id);
    return true;
  }
  async releaseStageNotice(ref: NotificationRef, person: { state: string; email: string }) {
    const key = `${ref.reviewId}#${ref.stageEpoch}#${person.state} ${person.email.toLowerCase()}`;
    if (this.stageNoticeClaims.get(key) === ref.id) this.stageNoticeClaims.delete(key);
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
  async finish(ref: NotificationRef, status: 'sent' | 'skipped' | 'failed', now: string, reason?: string) {
    const r = this.find(ref);
    if (r?.status !== 'sending') return;
    r.status = status;
    if (status === 'sent') r.sentAt = now;
    if (reason) r.reason = reason;
  }
  async release(ref: NotificationRef) {
    const r = this.find(ref);
    if (r?.status === 'sending') r.status = 'queued';
  }
  async skip(ref: NotificationRef, reason: string) {
    const r = this.find(ref);
    if (r && (r.status === 'pending' || r.status === 'queued')) {
      r.status = 'skipped';
      r.reason = reason;
    }
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
