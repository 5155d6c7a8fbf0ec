import * as s from '#shared/api/schemas.ts';
import type { Review } from '#shared/domain/review.ts';
import { countEvent, type MetricName } from '#shared/observability/metrics.ts';
import {
  changeDeadlineUseCase,
  createReviewUseCase,
  decideExtensionUseCase,
  pauseReviewUseCase,
  recordSubmissionUseCase,
  resumeReviewUseCase,
  setExpertsUseCase,
  setFocalPointUseCase,
  transitionReviewUseCase,
  withdrawSubmissionUseCase,
} from '#shared/use-cases/change-review.ts';
import type { ReviewDeps } from '#shared/use-cases/deps.ts';
import { importReviewsUseCase } from '#shared/use-cases/import-reviews.ts';
import {
  extensionRequestsUseCase,
  getReviewUseCase,
  listReviewsUseCase,
  overdueReportUseCase,
  processesUseCase,
  reviewHistoryUseCase,
  reviewNotificationsUseCase,
} from '#shared/use-cases/read-reviews.ts';
import { digestReportUseCase } from '#shared/use-cases/secretariat-digest.ts';
import { timelinessReportUseCase } from '#shared/use-cases/timeliness-report.ts';
import { IMPORT_CSV_COLUMNS, readImportCsv } from './import-csv.ts';
import { servedOpenApiDocument } from './openapi-document.ts';
import { respondRoutes } from './respond-routes.ts';
import { toReviewView } from './review-view.ts';
import { changeRoute, type Route, type RouteResult, route } from './route.ts';
import { TIMELINESS_CSV_COLUMNS, TIMELINESS_CSV_MEDIA_TYPE, timelinessCsv } from './timeliness-csv.ts';

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
    routeKey: 'POST /reviews/import',
    access: 'write',
    summary:
      'Bring in reviews already in flight (≤ 500 rows): each created, exists (by reference) or invalid; dryRun checks only',
    body: s.ImportBody,
    request: {
      // 500 rows with focal points run to a few hundred KB.
      maxBytes: 2 * 1024 * 1024,
      alternatives: {
        'text/csv': {
          description: `RFC 4180 with a header row; columns ${IMPORT_CSV_COLUMNS.join(', ')} (README: "Bringing a running caseload in")`,
          read: readImportCsv,
        },
      },
    },
    query: s.ImportQuery,
    response: { status: 200, schema: s.ImportResultView },
    run: async (deps, { body, query, caller }) => {
      const dryRun = body.dryRun ?? query.dryRun === 'true';
      const rows = body.reviews.map((raw, i) => {
        const parsed = s.ImportReviewRow.safeParse(raw);
        return parsed.success
          ? { row: i + 1, review: parsed.data }
          : {
              row: i + 1,
              issues: parsed.error.issues.map((issue) => ({
                path: issue.path.map(String).join('.'),
                message: issue.message,
              })),
            };
      });
      const items = await importReviewsUseCase(deps, caller, { dryRun, rows });
      for (const item of items) if (item.status === 'created') countEvent('ReviewImported');
      return ok({ dryRun, items });
    },
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
    act: async (deps, { params, body: { expectedVersion, ...focalPoint }, caller }) =>
      counted(
        'FocalPointRegistered',
        await setFocalPointUseCase(deps, caller, params.id, params.state, focalPoint, expectedVersion),
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
      counted(
        'ExpertsSet',
        await setExpertsUseCase(deps, caller, params.id, params.state, body.experts, body.expectedVersion),
      ),
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
    summary:
      'Withdraw a submission recorded by mistake, or reject one a focal point reported as sent (its reminders resume)',
    params: s.StateParams,
    query: s.WithdrawSubmissionQuery,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, query, caller }) =>
      counted(
        'SubmissionWithdrawn',
        await withdrawSubmissionUseCase(deps, caller, params.id, params.state, query.expectedVersion),
      ),
    present: (deps, review) => ok(view(deps, review)),
  }),
  route({
    routeKey: 'GET /reviews/{id}/extension-requests',
    access: 'read',
    summary:
      "Focal points' extension requests for the review, newest first, with the Secretariat's decisions",
    params: s.ReviewIdParams,
    response: { status: 200, schema: s.ExtensionRequestsView },
    run: async (deps, { params }) => {
      const items = await extensionRequestsUseCase(deps, params.id);
      return ok({ items: items.map((r) => ({ ...r, decision: r.decision ?? null })) });
    },
  }),
  changeRoute({
    routeKey: 'POST /reviews/{id}/extension-requests/{rid}/decision',
    summary:
      'Approve (the deadline moves) or decline an open extension request; the focal point is told by mail',
    params: s.ExtensionRequestParams,
    body: s.ExtensionDecisionBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted('ExtensionDecided', await decideExtensionUseCase(deps, caller, params.id, params.rid, body)),
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
      counted(
        'ReviewPaused',
        await pauseReviewUseCase(deps, caller, params.id, body.reason, body.expectedVersion),
      ),
    present: (deps, review) => ok(view(deps, review)),
  }),
  changeRoute({
    routeKey: 'POST /reviews/{id}/resume',
    summary: 'Resume a paused review; the deadline moves by the paused time',
    params: s.ReviewIdParams,
    body: s.ReasonBody,
    response: { status: 200, schema: s.ReviewView },
    act: async (deps, { params, body, caller }) =>
      counted(
        'ReviewResumed',
        await resumeReviewUseCase(deps, caller, params.id, body.reason, body.expectedVersion),
      ),
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
    summary:
      'Overdue reviews, most overdue first, with days overdue, States owing and escalations sent; a page at a time',
    query: s.OverdueQuery,
    response: { status: 200, schema: s.OverdueReportView },
    run: async (deps, { query }) =>
      ok(await overdueReportUseCase(deps, { limit: query.limit ?? 25, cursor: query.cursor })),
  }),
  route({
    routeKey: 'GET /reports/timeliness',
    access: 'read',
    summary:
      'Per stage visit: planned against actual days, extensions, paused days, days late; a page of reviews, newest first (Accept: text/csv for one row per visit)',
    query: s.TimelinessQuery,
    response: {
      status: 200,
      schema: s.TimelinessReportView,
      alternatives: {
        [TIMELINESS_CSV_MEDIA_TYPE]: {
          contentType: `${TIMELINESS_CSV_MEDIA_TYPE}; charset=utf-8`,
          description: `RFC 4180, a header row then one row per stage visit: ${TIMELINESS_CSV_COLUMNS.join(', ')}`,
        },
      },
    },
    run: async (deps, { query, accept }) => {
      if (!deps.timeliness) throw new Error('the timeliness report is not wired in this function');
      const report = await timelinessReportUseCase(
        { processes: deps.processes, timeliness: deps.timeliness, clock: deps.clock },
        {
          cluster: query.cluster === undefined ? undefined : Number(query.cluster),
          group: query.group === undefined ? undefined : Number(query.group),
          process: query.process,
          limit: query.limit ?? 25,
          cursor: query.cursor,
        },
      );
      if (accept !== TIMELINESS_CSV_MEDIA_TYPE) return ok(report);
      // The next page's cursor rides in a header: a CSV body has no place for it.
      const headers: Record<string, string> = report.nextCursor ? { 'x-next-cursor': report.nextCursor } : {};
      return { statusCode: 200, body: timelinessCsv(report), headers, mediaType: TIMELINESS_CSV_MEDIA_TYPE };
    },
  }),
  route({
    routeKey: 'GET /reports/digest',
    access: 'read',
    summary: "What each Secretariat officer's weekly digest holds now (for: one officer's only)",
    query: s.DigestQuery,
    response: { status: 200, schema: s.DigestReportView },
    run: async (deps, { query }) => {
      if (!deps.digest) throw new Error('the digest report is not wired in this function');
      const digestDeps = { processes: deps.processes, ...deps.digest };
      return ok({ items: await digestReportUseCase(digestDeps, deps.clock.now(), query.for) });
    },
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
    run: async () => ok(await servedOpenApiDocument(apiRoutes)),
  }),
  ...respondRoutes,
];
