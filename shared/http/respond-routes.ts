import * as s from '#shared/api/schemas.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { DependencyUnavailableError } from '#shared/ports/dependency.ts';
import { renderRespondPage } from '#shared/respond/respond-page.ts';
import type { RespondPage } from '#shared/respond/respond-view.ts';
import type { ReviewDeps } from '#shared/use-cases/deps.ts';
import { type RespondDeps, respondUseCase, showRespondPage } from '#shared/use-cases/respond.ts';
import { type Route, type RouteResult, route } from './route.ts';

/** How long a page asks to wait when a dependency did not answer. */
const RETRY_AFTER_SECONDS = 5;
const HTML = 'text/html';

/** The pages a refusal answers, by status (respond-page.ts). */
const PAGES: Record<number, string> = {
  400: 'The form could not be read (the extension form comes back with its errors)',
  403: 'The link is not valid (altered, cut off, or for a person no longer registered), or the form came from elsewhere',
  410: "The link has expired, or the review has moved on from the link's stage",
  429: 'Too many requests with this link: try again after Retry-After seconds',
  503: 'A service did not answer in time: try again after Retry-After seconds',
};

/**
 * The focal-point page's routes (DESIGN §10): public, authorized by the token in the path, and
 * answered in HTML whatever went wrong (a refusal is a page in the holder's language, with its
 * status), so a focal point never meets a JSON error. A request refused before the route runs
 * (a body over 64 KB, a media type other than a form or JSON) gets the API's JSON error.
 */
export const respondRoutes: Route[] = [
  route({
    routeKey: 'GET /respond/{token}',
    access: 'public',
    summary: "A focal point's personal page (HTML): the review's stage, deadline and what their State owes",
    params: s.RespondParams,
    response: {
      status: 200,
      alternatives: { [HTML]: htmlAnswer('The page') },
      pages: PAGES,
    },
    run: async (deps, { params }) =>
      answer(await withPage(() => showRespondPage(respondDeps(deps), params.token))),
  }),
  route({
    routeKey: 'POST /respond/{token}',
    access: 'public',
    summary:
      "A focal point's answer from their page: acknowledge, report the submission sent, or ask for an extension",
    params: s.RespondParams,
    body: s.RespondBody,
    request: {
      alternatives: {
        'application/x-www-form-urlencoded': {
          description: "The page's own form: action, csrf, and for an extension deadline and reason",
          read: (text) => Object.fromEntries(new URLSearchParams(text)),
        },
      },
    },
    response: {
      status: 200,
      alternatives: { [HTML]: htmlAnswer('The page, with what the action did') },
      pages: PAGES,
    },
    run: async (deps, { params, body }) =>
      answer(await withPage(() => respondUseCase(respondDeps(deps), params.token, body))),
  }),
];

function htmlAnswer(description: string) {
  return { description, contentType: 'text/html; charset=utf-8' };
}

function respondDeps(deps: ReviewDeps): RespondDeps {
  if (!deps.respond) throw new Error('the focal-point page is not wired: ReviewDeps.respond is missing');
  return { ...deps, ...deps.respond };
}

/** A dependency that did not answer is a page too (503), never the API's JSON error. */
async function withPage(run: () => Promise<RespondPage>): Promise<RespondPage> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof DependencyUnavailableError)) throw error;
    return {
      kind: 'refused',
      refusal: 'unavailable',
      language: 'en',
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    };
  }
}

function answer(page: RespondPage): RouteResult {
  if (page.kind === 'refused') countEvent('ResponseLinkRefused');
  else if (
    page.notice === 'acknowledged' ||
    page.notice === 'reported' ||
    page.notice === 'extension_requested'
  )
    countEvent('FocalPointAnswered');
  const rendered = renderRespondPage(page);
  return { statusCode: rendered.statusCode, body: rendered.html, headers: rendered.headers, mediaType: HTML };
}
