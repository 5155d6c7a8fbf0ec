import {
  DAY_MS,
  daysFromTo,
  deadlinePasses,
  describeInstant,
  fridayIfWeekend,
  mondayIfWeekend,
  plusDays,
  plusMonths,
  viennaDate,
  viennaTime,
} from './vienna-calendar.ts';

/**
 * An independent model of one review and the mail it must cause (DESIGN §2), written from the
 * specification alone: stages and edges, default deadlines, the notification plan, the sweep,
 * pause and resume. It never calls the project's domain, planner or calendar code.
 */

export const STAGES = [
  'launched',
  'self_assessment',
  'desk_review',
  'dialogue',
  'observations',
  'summary',
  'completed',
] as const;
export type StageId = (typeof STAGES)[number];

const REWORK: Partial<Record<StageId, StageId>> = {
  dialogue: 'desk_review',
  observations: 'dialogue',
  summary: 'observations',
};

type Responsible = 'all' | 'stateUnderReview' | 'reviewingStates' | 'none';
const RESPONSIBLE: Record<StageId, Responsible> = {
  launched: 'all',
  self_assessment: 'stateUnderReview',
  desk_review: 'reviewingStates',
  dialogue: 'all',
  observations: 'reviewingStates',
  summary: 'reviewingStates',
  completed: 'none',
};

export const MAIL_KINDS = [
  'stage_notice',
  'reminder',
  'overdue_notice',
  'escalation',
  'undeliverable',
  'paused',
  'resumed',
  'deadline_changed',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
type TimedKind = 'reminder' | 'overdue_notice' | 'escalation';
type ChangeKind = 'paused' | 'resumed' | 'deadline_changed';

/**
 * A change notice (DESIGN §2: the pause, the resume, a new deadline), sent at once to the focal
 * points current at send time. Until the next settle the model cannot know when it left: a later
 * change of the review may make it stale (a resume before the pause's notice went) and a new
 * focal point may take it, so a notice "disturbed" before the settle may reach any of the
 * State's addresses of that window, or none.
 */
interface ChangeNotice {
  kind: ChangeKind;
  epoch: number;
  states: string[];
  disturbed: boolean;
  /** Every address each State had from the change to the settle. */
  addresses: Map<string, Set<string>>;
}

const REMINDER_DAYS = [30, 14, 7, 1];
const LONG_STAGE_REMINDER_DAYS = 90;
const LONG_STAGE_DAYS = 120;
const OVERDUE_DAYS = [1];
const ESCALATION_DAYS = [1, 14, 44, 74, 104, 134];
const SEND_HOUR = 9;

export function nextStage(stage: StageId): StageId | undefined {
  return STAGES[STAGES.indexOf(stage) + 1];
}
export function reworkStage(stage: StageId): StageId | undefined {
  return REWORK[stage];
}
export function isAllowedEdge(from: StageId, to: StageId): boolean {
  return nextStage(from) === to || REWORK[from] === to;
}

/** The default deadline of a stage entered at `enteredAt` (completed has none). */
export function defaultDeadline(stage: StageId, launchedAt: string, enteredAt: number): string | null {
  const entry = viennaDate(enteredAt);
  switch (stage) {
    case 'launched':
      return plusDays(launchedAt, 14);
    case 'self_assessment':
      return plusMonths(launchedAt, 6);
    case 'desk_review':
      return plusMonths(entry, 6);
    case 'dialogue':
    case 'observations':
      return plusMonths(entry, 3);
    case 'summary':
      return plusMonths(entry, 2);
    case 'completed':
      return null;
  }
}

/** One planned reminder, overdue notice or escalation. */
export interface PlanItem {
  /** (stage epoch, deadline, kind, occurrence): the occurrence is the offset in days. */
  key: string;
  kind: TimedKind;
  offsetDays: number;
  epoch: number;
  deadline: string;
  dueAt: number;
}

/** The state of a review the refusal rules look at. */
export interface ReviewSnapshot {
  stage: StageId;
  paused: boolean;
}

/** Count bounds the mailbox must meet for one (address, stage epoch, kind). */
export interface CountRange {
  min: number;
  max: number;
}

export const mailKey = (address: string, epoch: number, kind: string) =>
  `${address.toLowerCase()}|${epoch}|${kind}`;

export class ModelReview {
  stage: StageId = 'launched';
  epoch = 1;
  enteredAt: number;
  deadline: string | null;
  paused: { since: number } | null = null;
  deadlineSetWhilePaused = false;
  version = 1;
  updatedAt: number;
  /** Current focal point address by State. */
  readonly focalPoints = new Map<string, string>();
  /** Every address a State has had, oldest first. */
  readonly addressesOf = new Map<string, string[]>();
  /** Every address that was a current focal point at some time during each epoch. */
  readonly focalPointsInEpoch = new Map<number, Set<string>>();
  /** Deadlines this epoch has had (to go back to an earlier one). */
  deadlinesInEpoch: string[] = [];
  /** The current plan's items still waiting for a sweep. */
  pending: PlanItem[] = [];
  /** Keys of items sent: never sent twice. */
  readonly sentKeys = new Set<string>();
  /** Reminders, overdue notices and escalations that must have arrived, by mailKey. */
  readonly timed = new Map<string, number>();
  /** The States that have submitted in this stage entry. */
  readonly submitted = new Set<string>();
  /** Change notices not yet past a settle. */
  private openNotices: ChangeNotice[] = [];
  /** What the change notices past a settle allow, by mailKey. */
  private readonly changeNoticeRanges = new Map<string, CountRange>();
  /** What the model decided and why, for failure reports. */
  readonly log: string[] = [];

  constructor(
    readonly label: string,
    readonly id: string,
    readonly stateUnderReview: string,
    readonly reviewingStates: string[],
    readonly secretariat: string,
    readonly launchedAt: string,
    focalPoints: Record<string, string>,
    createdAt: number,
  ) {
    this.enteredAt = createdAt;
    this.updatedAt = createdAt;
    this.deadline = defaultDeadline('launched', launchedAt, createdAt);
    this.deadlinesInEpoch = this.deadline ? [this.deadline] : [];
    for (const [state, address] of Object.entries(focalPoints)) this.rememberFocalPoint(state, address);
    this.focalPointsInEpoch.set(1, new Set(this.focalPoints.values()));
    this.note(createdAt, `created: launched (epoch 1), deadline ${this.deadline}`);
    this.plan(createdAt, 'creation');
  }

  get participants(): string[] {
    return [this.stateUnderReview, ...this.reviewingStates];
  }

  snapshot(): ReviewSnapshot {
    return { stage: this.stage, paused: this.paused !== null };
  }

  responsibleStates(): string[] {
    return this.responsibleStatesIn(this.stage);
  }

  /** The States that must act in a stage (each owes one submission there). */
  responsibleStatesIn(stage: StageId): string[] {
    switch (RESPONSIBLE[stage]) {
      case 'all':
        return this.participants;
      case 'stateUnderReview':
        return [this.stateUnderReview];
      case 'reviewingStates':
        return this.reviewingStates;
      case 'none':
        return [];
    }
  }

  /** The responsible States that have not submitted in this stage entry (DESIGN §2). */
  owingStates(): string[] {
    return this.responsibleStates().filter((state) => !this.submitted.has(state));
  }

  submit(state: string, at: number): void {
    this.submitted.add(state);
    this.note(at, `submission of ${state}; owing ${this.owingStates().join(' ') || 'nobody'}`);
  }

  withdraw(state: string, at: number): void {
    this.submitted.delete(state);
    this.note(at, `submission of ${state} withdrawn; owing ${this.owingStates().join(' ') || 'nobody'}`);
  }

  /** What a successful change must have returned, checked before it is applied. */
  advanceVersion(version: number, at: number): void {
    if (version !== this.version + 1) {
      throw new Error(
        `${this.label}: version ${version} after ${this.version} (expected ${this.version + 1})`,
      );
    }
    this.version = version;
    this.updatedAt = at;
    // Any change may make an earlier change notice stale before it left.
    for (const notice of this.openNotices) notice.disturbed = true;
  }

  transition(to: StageId, explicitDeadline: string | undefined, at: number): void {
    this.dropPending(at, `stage moved on to ${to}`);
    this.stage = to;
    this.epoch++;
    this.enteredAt = at;
    this.deadline = explicitDeadline ?? defaultDeadline(to, this.launchedAt, at);
    this.deadlinesInEpoch = this.deadline ? [this.deadline] : [];
    // Submissions belong to the stage entry: a rework edge counts again.
    this.submitted.clear();
    this.focalPointsInEpoch.set(this.epoch, new Set(this.focalPoints.values()));
    this.note(at, `transition to ${to} (epoch ${this.epoch}), deadline ${this.deadline}`);
    this.plan(at, 'stage entry');
  }

  setFocalPoint(state: string, address: string, at: number): void {
    this.rememberFocalPoint(state, address);
    for (const notice of this.openNotices) notice.addresses.get(state)?.add(address.toLowerCase());
    this.focalPointsInEpoch.get(this.epoch)?.add(address.toLowerCase());
    this.note(at, `focal point of ${state}: ${address}`);
  }

  pause(at: number): void {
    this.paused = { since: at };
    this.deadlineSetWhilePaused = false;
    this.dropPending(at, 'paused');
    this.note(at, 'paused');
    this.changeNotice('paused', this.participants, at);
  }

  /** The deadline the review must have after a resume at `at`. */
  deadlineAfterResume(at: number): string | null {
    if (!this.paused || this.deadline === null || this.deadlineSetWhilePaused) return this.deadline;
    const days = Math.ceil((at - this.paused.since) / DAY_MS);
    return plusDays(this.deadline, days);
  }

  resume(at: number): void {
    const moved = this.deadlineAfterResume(at);
    this.note(at, `resumed; deadline ${this.deadline} → ${moved}`);
    this.deadline = moved;
    if (moved && !this.deadlinesInEpoch.includes(moved)) this.deadlinesInEpoch.push(moved);
    this.paused = null;
    this.deadlineSetWhilePaused = false;
    this.plan(at, 'resume');
    this.changeNotice('resumed', this.participants, at);
  }

  changeDeadline(deadline: string, at: number): void {
    if (!this.deadlinesInEpoch.includes(deadline)) this.deadlinesInEpoch.push(deadline);
    if (this.paused) {
      this.deadlineSetWhilePaused = true;
      this.deadline = deadline;
      this.note(at, `deadline set while paused: ${deadline}`);
      return;
    }
    if (deadline === this.deadline) {
      // Re-planning the same deadline changes nothing (DESIGN §2).
      this.note(at, `deadline set to its current value ${deadline}: plan unchanged`);
      return;
    }
    this.dropPending(at, `deadline changed to ${deadline}`);
    this.deadline = deadline;
    this.note(at, `deadline changed to ${deadline}`);
    this.plan(at, 'deadline change');
    // Nobody owes a submission in a stage whose responsible States are none.
    if (RESPONSIBLE[this.stage] !== 'none') this.changeNotice('deadline_changed', this.owingStates(), at);
  }

  /**
   * The sweep at `now` (a whole minute): sends what is due, the latest of each ladder only,
   * reminders only while the deadline has not passed.
   */
  sweep(now: number): void {
    if (this.paused) return;
    const due = this.pending.filter((item) => item.dueAt <= now);
    if (due.length === 0) return;
    this.pending = this.pending.filter((item) => item.dueAt > now);
    for (const kind of ['reminder', 'overdue_notice', 'escalation'] as const) {
      const ladder = due.filter((item) => item.kind === kind).sort((a, b) => a.dueAt - b.dueAt);
      const latest = ladder.at(-1);
      if (!latest) continue;
      for (const earlier of ladder.slice(0, -1)) {
        this.note(now, `superseded by ${latest.key}: ${earlier.key}`);
      }
      if (kind === 'reminder' && this.deadline !== null && now >= deadlinePasses(this.deadline)) {
        this.note(now, `not sent, the deadline has passed: ${latest.key}`);
        continue;
      }
      this.send(latest, now);
    }
  }

  /** The counts the mailbox must show for this review, by mailKey (asked after a settle). */
  expectations(): Map<string, CountRange> {
    this.settleChangeNotices();
    const expected = new Map<string, CountRange>(this.changeNoticeRanges);
    const current = new Set(this.focalPoints.values());
    for (const [epoch, addresses] of this.focalPointsInEpoch) {
      for (const address of addresses) {
        const certain = epoch === this.epoch && this.paused === null && current.has(address);
        expected.set(
          mailKey(address, epoch, 'stage_notice'),
          certain ? { min: 1, max: 1 } : { min: 0, max: 1 },
        );
      }
    }
    for (const [key, count] of this.timed) expected.set(key, { min: count, max: count });
    return expected;
  }

  /** Every address mail of this review may go to. */
  addresses(): string[] {
    return [this.secretariat, ...[...this.addressesOf.values()].flat()].map((a) => a.toLowerCase());
  }

  describe(): string {
    const fps = this.participants.map((s) => `${s}=${this.focalPoints.get(s) ?? '-'}`).join(' ');
    return (
      `${this.label} ${this.id}: ${this.stage} epoch ${this.epoch} entered ${describeInstant(this.enteredAt)}, ` +
      `deadline ${this.deadline}, ${this.paused ? `paused since ${describeInstant(this.paused.since)}` : 'running'}, ` +
      `v${this.version}; SuR ${this.stateUnderReview}, RS ${this.reviewingStates.join(' ')}; ${fps}; ` +
      `Secretariat ${this.secretariat}`
    );
  }

  private changeNotice(kind: ChangeKind, states: string[], at: number): void {
    const addresses = new Map(
      states.map((state) => {
        const current = this.focalPoints.get(state);
        return [state, new Set(current ? [current] : [])] as const;
      }),
    );
    this.openNotices.push({ kind, epoch: this.epoch, states, disturbed: false, addresses });
    this.note(at, `${kind} notice to ${states.join(', ')}`);
  }

  /**
   * Past a settle, each change notice has left or gone stale: undisturbed, it reached the State's
   * current focal point exactly once; disturbed, at most once any of the State's addresses of
   * its window.
   */
  private settleChangeNotices(): void {
    for (const notice of this.openNotices) {
      for (const state of notice.states) {
        const current = this.focalPoints.get(state);
        const candidates = notice.disturbed
          ? new Set([...(notice.addresses.get(state) ?? []), ...(current ? [current] : [])])
          : new Set(current ? [current] : []);
        for (const address of candidates) {
          const key = mailKey(address, notice.epoch, notice.kind);
          const range = this.changeNoticeRanges.get(key) ?? { min: 0, max: 0 };
          this.changeNoticeRanges.set(key, {
            min: range.min + (notice.disturbed ? 0 : 1),
            max: range.max + 1,
          });
        }
      }
    }
    this.openNotices = [];
  }

  private rememberFocalPoint(state: string, address: string): void {
    const lower = address.toLowerCase();
    this.focalPoints.set(state, lower);
    const known = this.addressesOf.get(state) ?? [];
    if (!known.includes(lower)) known.push(lower);
    this.addressesOf.set(state, known);
  }

  private dropPending(at: number, why: string): void {
    for (const item of this.pending) this.note(at, `dropped (${why}): ${item.key}`);
    this.pending = [];
  }

  /**
   * The plan for the current stage epoch and deadline, made at `at`: reminders after the stage
   * entry and after `at`; overdue notice and escalations, of those already due only the latest,
   * at once. Keys already sent are not planned again.
   */
  private plan(at: number, why: string): void {
    if (this.deadline === null || RESPONSIBLE[this.stage] === 'none') return;
    const deadline = this.deadline;
    const items: PlanItem[] = [];
    const item = (kind: TimedKind, offsetDays: number, dueAt: number): PlanItem => ({
      key: `e${this.epoch}|${deadline}|${kind}|${offsetDays}`,
      kind,
      offsetDays,
      epoch: this.epoch,
      deadline,
      dueAt,
    });
    const long = daysFromTo(viennaDate(this.enteredAt), deadline) >= LONG_STAGE_DAYS;
    const reminderDays = long ? [LONG_STAGE_REMINDER_DAYS, ...REMINDER_DAYS] : REMINDER_DAYS;
    for (const days of reminderDays) {
      const dueAt = viennaTime(fridayIfWeekend(plusDays(deadline, -days)), SEND_HOUR);
      if (dueAt > this.enteredAt && dueAt > at) items.push(item('reminder', -days, dueAt));
    }
    for (const [kind, offsets] of [
      ['overdue_notice', OVERDUE_DAYS],
      ['escalation', ESCALATION_DAYS],
    ] as const) {
      const natural = offsets.map((days) => ({
        days,
        dueAt: viennaTime(mondayIfWeekend(plusDays(deadline, days)), SEND_HOUR),
      }));
      const alreadyDue = natural.filter((n) => n.dueAt <= at).at(-1);
      if (alreadyDue) items.push(item(kind, alreadyDue.days, at));
      for (const n of natural) if (n.dueAt > at) items.push(item(kind, n.days, n.dueAt));
    }
    this.pending = items.filter((i) => !this.sentKeys.has(i.key));
    this.note(
      at,
      `plan (${why}) for deadline ${deadline}${long ? ' (long stage)' : ''}: ` +
        (this.pending.map((i) => `${i.kind}${i.offsetDays} @ ${describeInstant(i.dueAt)}`).join(', ') ||
          'nothing'),
    );
  }

  private send(item: PlanItem, now: number): void {
    this.sentKeys.add(item.key);
    // Nothing to chase once every responsible State has submitted: the item is final, unsent.
    const owing = this.owingStates();
    if (owing.length === 0) {
      this.note(now, `not sent, every responsible State has submitted: ${item.key}`);
      return;
    }
    const recipients =
      item.kind === 'escalation'
        ? [this.secretariat]
        : owing.map((state) => this.focalPoints.get(state) ?? this.secretariat);
    for (const address of recipients) {
      const key = mailKey(address, item.epoch, item.kind);
      this.timed.set(key, (this.timed.get(key) ?? 0) + 1);
    }
    this.note(now, `sent ${item.key} to ${recipients.join(', ')}`);
  }

  private note(at: number, message: string): void {
    this.log.push(`${describeInstant(at)}  ${message}`);
  }
}
