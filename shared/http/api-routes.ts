import * as s from '#shared/api/schemas.ts';
import type { Review } from '#shared/domain/review.ts';
import { countEvent, type MetricName } from '#shared/observability/metrics.ts';
import {
  changeDeadlineUseCase,
  createReviewUseCase,
  pauseReviewUseCase,
  recordSubmissionUseCase,
  resumeReviewUseCase,
  setExpertsUseCase,
  setFocalPointUseCase,
  transitionReviewUseCase,
  withdrawSubmissionUseCase,
} from '#shared/use-cases/change-review.ts';
import type { ReviewDeps } from '#shared/use-cases/deps.ts';
import {
  getReviewUseCase,
  listReviewsUseCase,
  overdueReportUseCase,
  processesUseCase,
  reviewHistoryUseCase,
  reviewNotificationsUseCase,
} from '#shared/use-cases/read-reviews.ts';
import { openApiDocument } from './openapi.ts';
import { toReviewView } from './review-view.ts';
import { changeRoute, type Route, type RouteResult, route } from './route.ts';

/** Counts the event once the use case has succeeded. */
const counted = <T>(event: MetricName, result: T): T => {
  countEvent(event);
  return result;
};
const view = (deps: ReviewDeps, review: Review) =>
  toReviewView(deps.processes.of(review), review, deps.clock.now());
const ok = (body: unknown, headers?: Record<string, string>): RouteResult => ({
  statusCode: 200,
  body,
  ...(headers ? { headers } : {}),
});

/** Every route of DESIGN §4, each calling one use case. */
export const apiRoutes: Route[] = [
  route({
    routeKey: 'GET /health',
    access: 'public',
    summary: 'Liveness',
    response: { status: 200 },
    run: async () => ok({ status: 'ok' }),
  }),
  changeRoute({
    routeKey: 'POST /reviews',
    summary: 'Create a review (stage launched)',
    body: s.CreateReviewBody,
    response: { status: 201, schema: s.ReviewView },
    act: async (deps, { body, caller }) =>
      counted('ReviewCreated', await createReviewUseCase(deps, caller, body)),
    present: (deps, review) => ({
      statusCode: 201,
      body: view(deps, review),
      headers: { location: `/reviews/${review.id}` },
    }),
  }),
  route({
    routeKey: 'GET /reviews',
    access: 'read',
    summary: 'List reviews, newest first',
    query: s.ListReviewsQuery,
    response: { status: 200, schema: s.ReviewPageView },
    run: async (deps, { query }) => {
      const page = await listReviewsUseCase(deps, {
        stage: query.stage,
        state: query.state,
        cluster: query.cluster === undefined ? undefined : Number(query.cluster),
        overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
        limit: query.limit ?? 25,
        cursor: query.cursor,
      });
      return ok({ items: page.items.map((r) => view(deps, r)), nextCursor: page.nextCursor });
    },
  }),
  route({
    routeKey: 'GET /reviews/{id}',
    access: 'read',
    summary: 'One review, with its version as ETag',
    params: s.ReviewIdParams,
    response: { status: 200, schema: s.ReviewView },
    run: async (deps, { params }) => {
      const review = await getReviewUseCase(deps, params.id);
      return ok(view(deps, review), { etag: `"${review.version}"` });
    },
  }),
  changeRoute({
    routeKey: 'POST /reviews/{id}/transitions',
    summary: 'Move a review to another stage',
    params: s.ReviewIdParams,
    body: s.TransitionBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted('TransitionApplied', await transitionReviewUseCase(deps, caller, params.id, body)),
    present: (deps, review) => ok(view(deps, review)),
  }),
  changeRoute({
    routeKey: 'PUT /reviews/{id}/focal-points/{state}',
    summary: "Register or replace a participant's focal point",
    params: s.FocalPointParams,
    body: s.FocalPointBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted(
        'FocalPointRegistered',
        await setFocalPointUseCase(deps, caller, params.id, params.state, body),
      ),
    present: (deps, review) => ok(view(deps, review)),
  }),
  changeRoute({
    routeKey: 'PUT /reviews/{id}/experts/{state}',
    summary: "Replace a participant's governmental experts (at most 20)",
    params: s.StateParams,
    body: s.ExpertsBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted('ExpertsSet', await setExpertsUseCase(deps, caller, params.id, params.state, body.experts)),
    present: (deps, review) => ok(view(deps, review)),
  }),
  changeRoute({
    routeKey: 'POST /reviews/{id}/submissions',
    summary: "Record a responsible State's submission for the current stage (a repeat changes nothing)",
    params: s.ReviewIdParams,
    body: s.SubmissionBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted('SubmissionRecorded', await recordSubmissionUseCase(deps, caller, params.id, body)),
    present: (deps, review) => ok(view(deps, review)),
  }),
  changeRoute({
    routeKey: 'DELETE /reviews/{id}/submissions/{state}',
    summary: 'Withdraw a submission recorded by mistake',
    params: s.StateParams,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, caller }) =>
      counted('SubmissionWithdrawn', await withdrawSubmissionUseCase(deps, caller, params.id, params.state)),
    present: (deps, review) => ok(view(deps, review)),
  }),
  changeRoute({
    routeKey: 'POST /reviews/{id}/deadline',
    summary: "Extend or shorten the current stage's deadline",
    params: s.ReviewIdParams,
    body: s.DeadlineBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted('DeadlineChanged', await changeDeadlineUseCase(deps, caller, params.id, body)),
    present: (deps, review) => ok(view(deps, review)),
  }),
  changeRoute({
    routeKey: 'POST /reviews/{id}/pause',
    summary: 'Pause a review',
    params: s.ReviewIdParams,
    body: s.ReasonBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted('ReviewPaused', await pauseReviewUseCase(deps, caller, params.id, body.reason)),
    present: (deps, review) => ok(view(deps, review)),
  }),
  changeRoute({
    routeKey: 'POST /reviews/{id}/resume',
    summary: 'Resume a paused review; the deadline moves by the paused time',
    params: s.ReviewIdParams,
    body: s.ReasonBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted('ReviewResumed', await resumeReviewUseCase(deps, caller, params.id, body.reason)),
    present: (deps, review) => ok(view(deps, review)),
  }),
  route({
    routeKey: 'GET /reviews/{id}/history',
    access: 'read',
    summary: 'Audit events, oldest first',
    params: s.ReviewIdParams,
    response: { status: 200, schema: s.HistoryView },
    run: async (deps, { params }) => {
      const events = await reviewHistoryUseCase(deps, params.id);
      return ok({ items: events.map(({ reviewId: _, ...event }) => event) });
    },
  }),
  route({
    routeKey: 'GET /reviews/{id}/notifications',
    access: 'read',
    summary: 'Planned and sent notifications with status',
    params: s.ReviewIdParams,
    response: { status: 200, schema: s.NotificationsView },
    run: async (deps, { params }) => ok({ items: await reviewNotificationsUseCase(deps, params.id) }),
  }),
  route({
    routeKey: 'GET /reports/overdue',
    access: 'read',
    summary: 'Overdue reviews with days overdue and escalation count',
    query: s.NoQuery,
    response: { status: 200, schema: s.OverdueReportView },
    run: async (deps) => ok({ items: await overdueReportUseCase(deps) }),
  }),
  route({
    routeKey: 'GET /processes',
    access: 'read',
    summary: 'The review processes this deployment ships (stages, deadline rules, instruments, words)',
    query: s.NoQuery,
    response: { status: 200, schema: s.ProcessesView },
    run: async (deps) => ok({ items: processesUseCase(deps) }),
  }),
  route({
    routeKey: 'GET /openapi.json',
    access: 'read',
    summary: 'This API as OpenAPI 3.1',
    response: { status: 200 },
    run: async () => ok(openApiDocument(apiRoutes)),
  }),
];
