import {
  addDays,
  type CalendarDate,
  dayOfWeek,
  daysBetween,
  type Instant,
  localDate,
} from '#shared/domain/calendar.ts';
import { findStage, type ProcessDefinition, stageName } from '#shared/domain/process-definition.ts';
import type { ProcessRegistry } from '#shared/domain/process-registry.ts';
import {
  owingStates,
  participants,
  type Review,
  responsibleStates,
  reviewDaysOverdue,
} from '#shared/domain/review.ts';
import {
  DIGEST_SECTIONS,
  type DigestReviewRef,
  type DigestUndeliverable,
  digestSubject,
  type OfficerDigest,
} from '#shared/email/digest-template.ts';
import type { DigestSource } from '#shared/ports/digest-source.ts';
import type { UndeliverableAddresses } from '#shared/ports/mail.ts';

/**
 * The Secretariat's weekly digest (DESIGN §2, "Secretariat digest and timeliness"): every Monday
 * 08:00 in the time zone of record, each officer (a review's `secretariatEmail`, or the
 * deployment's address) gets one English mail about their open reviews; nothing to report, no
 * mail. `GET /reports/digest` returns the same digests as JSON.
 */

/** A stage whose deadline is this many days away or fewer is "due soon". */
export const DUE_SOON_DAYS = 14;
/** A review unchanged for this many days or more has "no activity". */
export const INACTIVE_DAYS = 90;

/** What building the digests needs. */
export interface DigestDeps {
  /** Each review's process (DESIGN §9); the registry's default gives the time zone of record. */
  processes: ProcessRegistry;
  source: DigestSource;
  undeliverable: Pick<UndeliverableAddresses, 'undeliverableAmong'>;
  /** The deployment's Secretariat address, the officer of reviews that name none. */
  secretariatEmail: string;
}

/** The ISO 8601 week of a date (`2027-W02`): the week of its Thursday, weeks starting on Monday. */
export function isoWeek(date: CalendarDate): string {
  const thursday = addDays(date, 4 - dayOfWeek(date));
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** An officer's address as digests compare and key it. */
export function officerKey(email: string): string {
  return email.trim().toLowerCase();
}

/** The officer a review's Secretariat mail goes to. */
function officerOf(review: Review, secretariatEmail: string): string {
  return officerKey(review.secretariatEmail ?? secretariatEmail);
}

/** Every focal point's and expert's address of the reviews, for one look-up. */
function addressesOf(reviews: Review[]): string[] {
  return reviews.flatMap((review) => [
    ...Object.values(review.focalPoints).map((fp) => fp.email),
    ...Object.values(review.experts).flatMap((experts) => experts.map((e) => e.email)),
  ]);
}

/** Whether the review's stage is open in its process: not the terminal one (`completed`). */
function isOpen(process: ProcessDefinition, review: Review): boolean {
  return findStage(process, review.stage)?.terminal !== true;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `e***@example.org`, as `maskAddress` of the templates writes it; not imported from there, so
 * the API, which serves the digest report, does not carry the mail templates of six languages.
 */
function masked(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address.length <= 1 ? '***' : `${address.slice(0, 1)}***`;
  return `${address.slice(0, 1) || '*'}***${address.slice(at)}`;
}

/**
 * The digests of the given reviews at `now`, one per officer with at least one open review,
 * sorted by officer; pure. `undeliverable` holds the lower-cased addresses SES reported.
 * Sections: overdue (States still owing, days past the deadline), due within 14 days (States
 * still owing), every submission in and the Secretariat's move awaited, paused (since, why), a
 * focal point's or expert's address undeliverable, participants without a focal point, no
 * change for 90 days. A review every responsible State has submitted for is awaiting its move,
 * not overdue: nobody is late but the Secretariat. A paused review is neither overdue, due nor
 * awaiting a move (nothing is due while paused, and it cannot move).
 */
export function buildDigests(
  reviews: Review[],
  ctx: {
    processOf: (review: Review) => ProcessDefinition;
    timeZone: string;
    now: Instant;
    secretariatEmail: string;
    undeliverable: ReadonlySet<string>;
  },
): OfficerDigest[] {
  const { now, timeZone } = ctx;
  const today = localDate(now, timeZone);
  const digests = new Map<string, OfficerDigest>();
  const ordered = [...reviews].sort((a, b) => byText(a.reference, b.reference) || byText(a.id, b.id));
  for (const review of ordered) {
    const process = ctx.processOf(review);
    if (!isOpen(process, review)) continue;
    const officer = officerOf(review, ctx.secretariatEmail);
    let digest = digests.get(officer);
    if (!digest) {
      digest = emptyDigest(officer, now, today, timeZone);
      digests.set(officer, digest);
    }
    digest.openReviews += 1;
    addReview(digest, review, process, ctx.undeliverable);
  }
  return [...digests.values()]
    .map((digest) => sortSections(digest))
    .sort((a, b) => byText(a.officer, b.officer));
}

/** A digest with nothing in it, for an officer at `now`. */
export function emptyDigest(
  officer: string,
  now: Instant,
  today: CalendarDate,
  timeZone: string,
): OfficerDigest {
  return {
    officer: officerKey(officer),
    asOf: now,
    today,
    week: isoWeek(today),
    timeZone,
    openReviews: 0,
    nothingToReport: true,
    overdue: [],
    dueSoon: [],
    awaitingMove: [],
    paused: [],
    undeliverable: [],
    withoutFocalPoint: [],
    inactive: [],
  };
}

function addReview(
  digest: OfficerDigest,
  review: Review,
  process: ProcessDefinition,
  undeliverable: ReadonlySet<string>,
): void {
  const { today } = digest;
  const stage = findStage(process, review.stage);
  const ref: DigestReviewRef = {
    reviewId: review.id,
    reference: review.reference,
    link: `/reviews/${review.id}`,
    stage: review.stage,
    stageName: stageName(process, review.stage, 'en'),
  };
  const owing = owingStates(process, review);
  const responsible = stage ? responsibleStates(review, stage) : [];

  if (review.paused) {
    const since = localDate(review.paused.since, digest.timeZone);
    digest.paused.push({
      ...ref,
      since,
      days: Math.max(0, daysBetween(since, today)),
      reason: review.paused.reason,
    });
  } else if (responsible.length > 0 && owing.length === 0) {
    const received = review.submissions
      .map((s) => s.receivedAt)
      .sort(byText)
      .at(-1);
    digest.awaitingMove.push({
      ...ref,
      deadline: review.deadline,
      submissions: review.submissions.length,
      lastReceivedOn: received ? localDate(received, digest.timeZone) : null,
      nextStages: process.transitions
        .filter((t) => t.from === review.stage)
        .map((t) => ({ stage: t.to, stageName: stageName(process, t.to, 'en') })),
    });
  } else if (review.deadline !== null && owing.length > 0) {
    const daysOverdue = reviewDaysOverdue(process, review, digest.asOf);
    const daysLeft = daysBetween(today, review.deadline);
    if (daysOverdue > 0) digest.overdue.push({ ...ref, deadline: review.deadline, daysOverdue, owing });
    else if (daysLeft >= 0 && daysLeft <= DUE_SOON_DAYS)
      digest.dueSoon.push({ ...ref, deadline: review.deadline, daysLeft, owing });
  }

  for (const state of [...new Set(participants(review))]) {
    const people: Omit<DigestUndeliverable, keyof DigestReviewRef | 'state'>[] = [];
    const focalPoint = review.focalPoints[state];
    if (focalPoint) people.push({ role: 'focal_point', name: focalPoint.name, address: focalPoint.email });
    for (const expert of review.experts[state] ?? [])
      people.push({ role: 'expert', name: expert.name, address: expert.email });
    for (const person of people) {
      if (undeliverable.has(person.address.trim().toLowerCase()))
        digest.undeliverable.push({ ...ref, state, ...person, address: masked(person.address) });
    }
  }

  const without = [...new Set(participants(review))].filter((state) => !review.focalPoints[state]);
  if (without.length > 0) digest.withoutFocalPoint.push({ ...ref, states: without });

  const lastActivityOn = localDate(review.updatedAt, digest.timeZone);
  const idle = daysBetween(lastActivityOn, today);
  if (idle >= INACTIVE_DAYS) digest.inactive.push({ ...ref, lastActivityOn, days: idle });

  digest.nothingToReport = DIGEST_SECTIONS.every((section) => digest[section].length === 0);
}

/** Most urgent first within each section; ties by reference. */
function sortSections(digest: OfficerDigest): OfficerDigest {
  const ref = (a: DigestReviewRef, b: DigestReviewRef) => byText(a.reference, b.reference);
  digest.overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || ref(a, b));
  digest.dueSoon.sort((a, b) => a.daysLeft - b.daysLeft || ref(a, b));
  digest.awaitingMove.sort((a, b) => byText(a.deadline ?? '9999', b.deadline ?? '9999') || ref(a, b));
  digest.paused.sort((a, b) => byText(a.since, b.since) || ref(a, b));
  digest.inactive.sort((a, b) => b.days - a.days || ref(a, b));
  return digest;
}

/**
 * The digests as they stand at `now`: one read of the open reviews, one batched look-up of
 * their people's addresses. With `officer`, that officer's digest alone (empty when they have
 * no open review); else every officer with an open review.
 */
export async function secretariatDigests(
  deps: DigestDeps,
  now: Instant,
  options: { officer?: string | undefined } = {},
): Promise<OfficerDigest[]> {
  const timeZone = deps.processes.defaultProcess.timeZone;
  // Left out at the read: stage ids terminal in every process that has them (each review's own
  // process still decides below).
  const stages = deps.processes.all().flatMap((p) => p.stages);
  const closed = [...new Set(stages.filter((s) => s.terminal).map((s) => s.id))].filter((id) =>
    stages.every((s) => s.id !== id || s.terminal),
  );
  const everyReview = await deps.source.openReviews(closed);
  const officer = options.officer === undefined ? undefined : officerKey(options.officer);
  const reviews =
    officer === undefined
      ? everyReview
      : everyReview.filter((review) => officerOf(review, deps.secretariatEmail) === officer);
  const undeliverable = await deps.undeliverable.undeliverableAmong(addressesOf(reviews));
  const digests = buildDigests(reviews, {
    processOf: (review) => deps.processes.of(review),
    timeZone,
    now,
    secretariatEmail: deps.secretariatEmail,
    undeliverable,
  });
  if (officer === undefined) return digests;
  return [digests[0] ?? emptyDigest(officer, now, localDate(now, timeZone), timeZone)];
}

/** A digest as `GET /reports/digest` shows it: with the subject its mail would have. */
export type DigestReportItem = OfficerDigest & { subject: string | null };

/** `GET /reports/digest`: the digests as they stand now, each with its subject (null: no mail). */
export async function digestReportUseCase(
  deps: DigestDeps,
  now: Instant,
  officer?: string | undefined,
): Promise<DigestReportItem[]> {
  const digests = await secretariatDigests(deps, now, { officer });
  return digests.map((digest) => ({
    ...digest,
    subject: digest.nothingToReport ? null : digestSubject(digest),
  }));
}
