import { type Instant, localDate } from '#shared/domain/calendar.ts';
import { NotResponsibleError, ReviewCompletedError, VersionConflictError } from '#shared/domain/errors.ts';
import { findStage } from '#shared/domain/process-definition.ts';
import type { ProcessRegistry } from '#shared/domain/process-registry.ts';
import {
  acknowledge,
  MAX_REASON_LENGTH,
  plainText,
  type Respondent,
  type Review,
  type ReviewChange,
  reportHeldUntil,
  reportSubmission,
  requestExtension,
  requestedDeadlineProblem,
  respondentId,
  responsibleStates,
} from '#shared/domain/review.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { RequestLimiter } from '#shared/ports/request-limiter.ts';
import type { ReadResponseLink, ResponseLinks } from '#shared/ports/response-links.ts';
import type { ReviewRepository } from '#shared/ports/review-repository.ts';
import type {
  RespondFieldError,
  RespondNotice,
  RespondPage,
  RespondView,
} from '#shared/respond/respond-view.ts';
import { changeReview } from './change-review.ts';

/**
 * The focal-point page (DESIGN §10): what a personal link shows and what its forms do. The token
 * is the only credential: it names one review's stage, one State and one person; the page shows
 * that review's stage, deadline and what that State owes, and nothing of any other.
 */
export interface RespondDeps {
  processes: ProcessRegistry;
  reviews: ReviewRepository;
  clock: Clock;
  newId: () => string;
  links: ResponseLinks;
  limiter: RequestLimiter;
  /** The deployment's Secretariat address, when the review names none. */
  secretariatEmail: string;
}

/** What a page's form sends (already read from the form or JSON body). */
export interface RespondForm {
  action?: string | undefined;
  csrf?: string | undefined;
  deadline?: string | undefined;
  reason?: string | undefined;
}

const Reason = plainText({ max: MAX_REASON_LENGTH, multiLine: true });

/** The link is good: its review, the person as the review holds them now, and the token's keys. */
interface Holder {
  link: ReadResponseLink;
  review: Review;
  respondent: Respondent;
}

/**
 * Resolves a token to the review and person it was made for, or the page that refuses it:
 * altered (403), over its request budget (429), expired or of a stage left behind (410), or for a
 * person no longer the State's focal point or expert (403).
 */
async function holderOf(deps: RespondDeps, token: string): Promise<Holder | RespondPage> {
  const link = await deps.links.read(token);
  if (!link) return { kind: 'refused', refusal: 'altered', language: 'en' };
  const { claims } = link;
  const now = deps.clock.now();
  const limit = await deps.limiter.take(link.tokenKey, now);
  if (!limit.allowed)
    return {
      kind: 'refused',
      refusal: 'rate_limited',
      language: claims.language,
      retryAfterSeconds: limit.retryAfterSeconds,
    };
  const review = await deps.reviews.get(claims.reviewId);
  const process = review ? deps.processes.of(review) : deps.processes.defaultProcess;
  if (localDate(now, process.timeZone) > claims.expiresOn)
    return { kind: 'refused', refusal: 'expired', language: claims.language };
  if (
    !review ||
    review.stageEpoch !== claims.stageEpoch ||
    findStage(process, review.stage)?.terminal !== false
  )
    return { kind: 'refused', refusal: 'stage_over', language: claims.language };
  const respondent = respondentOf(review, link);
  if (!respondent) return { kind: 'refused', refusal: 'replaced', language: claims.language };
  return { link, review, respondent };
}

/** The person the link was made for, if the review still has them in that role for that State. */
function respondentOf(review: Review, link: ReadResponseLink): Respondent | undefined {
  const { state, role } = link.claims;
  if (role === 'focal_point') {
    const focalPoint = review.focalPoints[state];
    return focalPoint && link.isFor(focalPoint.email) ? { state, role } : undefined;
  }
  const expert = (review.experts[state] ?? []).find((e) => link.isFor(e.email));
  return expert ? { state, role, expertId: expert.id } : undefined;
}

/** The page a link shows (`GET /respond/{token}`): it changes nothing. */
export async function showRespondPage(deps: RespondDeps, token: string): Promise<RespondPage> {
  const holder = await holderOf(deps, token);
  if ('kind' in holder) return holder;
  return { kind: 'page', view: viewOf(deps, holder, token) };
}

/**
 * What a form does (`POST /respond/{token}`): acknowledge, report the submission sent, or ask for
 * an extension. A form without the page's own `csrf` value (sent from elsewhere) is refused and
 * changes nothing; each action is idempotent (a double click records once), and an invalid
 * extension form comes back with its errors.
 */
export async function respondUseCase(
  deps: RespondDeps,
  token: string,
  form: RespondForm,
): Promise<RespondPage> {
  const holder = await holderOf(deps, token);
  if ('kind' in holder) return holder;
  const { link, respondent } = holder;
  if (!form.csrf || !link.acceptsForm(form.csrf))
    return { kind: 'refused', refusal: 'forbidden_origin', language: link.claims.language };
  const now = deps.clock.now();
  const at = { now };
  const focalPoint = respondent.role === 'focal_point';
  let notices: [done: RespondNotice, already: RespondNotice];
  let rule: (review: Review) => ReviewChange | undefined;
  switch (form.action) {
    case 'acknowledge':
      notices = ['acknowledged', 'already_acknowledged'];
      rule = (review) => acknowledge(deps.processes.of(review), review, respondent, at);
      break;
    case 'report':
      if (!focalPoint) return { kind: 'refused', refusal: 'bad_request', language: link.claims.language };
      notices = ['reported', 'already_reported'];
      rule = (review) => reportSubmission(deps.processes.of(review), review, respondent.state, at);
      break;
    case 'extension': {
      if (!focalPoint) return { kind: 'refused', refusal: 'bad_request', language: link.claims.language };
      const values = { deadline: form.deadline?.trim(), reason: form.reason?.trim() };
      const errors = formErrors(deps, holder.review, values, now);
      if (errors.length > 0)
        return { kind: 'page', view: viewOf(deps, holder, token), errors, values: { ...form } };
      const input = {
        state: respondent.state,
        requestedDeadline: values.deadline ?? '',
        reason: values.reason ?? '',
      };
      const id = deps.newId();
      notices = ['extension_requested', 'extension_already_open'];
      rule = (review) => requestExtension(deps.processes.of(review), review, input, { now, id });
      break;
    }
    default:
      return { kind: 'refused', refusal: 'bad_request', language: link.claims.language };
  }
  let changed = false;
  let review: Review;
  try {
    review = await changeReview(deps, holder.review.id, undefined, (current) => {
      const change = rule(current);
      changed = change !== undefined;
      return change;
    });
  } catch (error) {
    // A page, never the API's JSON 409, whatever happened meanwhile: the review was completed, too
    // many writers raced for it (try again), or the State owes nothing any more (the page says so).
    const language = link.claims.language;
    if (error instanceof ReviewCompletedError) return { kind: 'refused', refusal: 'stage_over', language };
    if (error instanceof VersionConflictError)
      return { kind: 'refused', refusal: 'unavailable', language, retryAfterSeconds: 1 };
    if (!(error instanceof NotResponsibleError)) throw error;
    review = (await deps.reviews.get(holder.review.id)) ?? holder.review;
    return { kind: 'page', view: viewOf(deps, { ...holder, review }, token) };
  }
  return {
    kind: 'page',
    view: viewOf(deps, { ...holder, review }, token),
    notice: changed ? notices[0] : notices[1],
  };
}

function formErrors(
  deps: RespondDeps,
  review: Review,
  values: { deadline?: string | undefined; reason?: string | undefined },
  now: Instant,
): RespondFieldError[] {
  const errors: RespondFieldError[] = [];
  if (!values.deadline) errors.push({ field: 'deadline', problem: 'missing' });
  else {
    const problem = requestedDeadlineProblem(deps.processes.of(review), review, values.deadline, now);
    if (problem) errors.push({ field: 'deadline', problem });
  }
  if (!values.reason) errors.push({ field: 'reason', problem: 'missing' });
  else if (!Reason.safeParse(values.reason).success) errors.push({ field: 'reason', problem: 'too_long' });
  return errors;
}

/** What the page shows of the review: its stage, deadline, and this State's part, nothing else. */
function viewOf(deps: RespondDeps, holder: Holder, token: string): RespondView {
  const { review, respondent, link } = holder;
  const process = deps.processes.of(review);
  const now = deps.clock.now();
  const state = respondent.state;
  const stage = findStage(process, review.stage);
  const responsible = stage ? responsibleStates(review, stage).includes(state) : false;
  const received = review.submissions.find((s) => s.state === state);
  const reported = review.reports.find((r) => r.state === state);
  const submission: RespondView['submission'] = !responsible
    ? null
    : received
      ? { status: 'received', at: received.receivedAt }
      : reported
        ? {
            status: 'reported',
            at: reported.at,
            holdUntil: reportHeldUntil(reported, process.timeZone),
          }
        : { status: 'owing' };
  const ofThisStage = review.extensionRequests.filter(
    (r) => r.state === state && r.stageEpoch === review.stageEpoch,
  );
  const open = ofThisStage.find((r) => r.status === 'open');
  const decided = ofThisStage
    .filter((r) => r.decision && (r.status === 'approved' || r.status === 'declined'))
    .at(-1);
  const { who } = respondentId(respondent);
  const acknowledged = review.acknowledgements.find((a) => a.state === state && a.who === who);
  const owing = submission?.status === 'owing' || submission?.status === 'reported';
  const focalPoint = respondent.role === 'focal_point';
  return {
    language: link.claims.language,
    reference: review.reference,
    stateUnderReview: review.stateUnderReview,
    recipientState: state,
    recipientRole: respondent.role,
    stage: review.stage,
    words: process.text,
    deadline: review.deadline,
    timeZone: process.timeZone,
    submission,
    acknowledgedAt: acknowledged?.at,
    openRequest: open
      ? { requestedDeadline: open.requestedDeadline, reason: open.reason, requestedAt: open.requestedAt }
      : undefined,
    lastDecision:
      decided?.decision && (decided.status === 'approved' || decided.status === 'declined')
        ? {
            outcome: decided.status,
            requestedDeadline: decided.requestedDeadline,
            reason: decided.decision.reason,
            newDeadline: decided.decision.newDeadline ?? undefined,
            decidedAt: decided.decision.at,
          }
        : undefined,
    can: {
      acknowledge: !acknowledged,
      report: focalPoint && submission?.status === 'owing',
      requestExtension: focalPoint && owing && !open,
    },
    action: `/respond/${token}`,
    csrf: link.formKey,
    contact: review.secretariatEmail ?? deps.secretariatEmail,
    today: localDate(now, process.timeZone),
  };
}
