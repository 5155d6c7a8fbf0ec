import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { stateLabel } from './format.ts';
import { type Process, stageName } from './model.ts';

/** A value loaded from the API, with `reload` for after an action. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  // The caller names what the load depends on (`deps`), as with useEffect.
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await load();
      if (mine === generation.current) {
        setData(value);
        setError(undefined);
      }
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload };
}

/**
 * What an error means, in words (DESIGN §10: a 409 is explained, not shown as a code). `process`
 * names stages; `seenVersion` is the version that was on screen when the action was sent.
 */
export function explain(error: unknown, context: { process?: Process; seenVersion?: number } = {}): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const body = error.body;
  const stage = (id: string | undefined) => (id ? stageName(context.process, id) : 'its stage');
  switch (body.error) {
    case 'VERSION_CONFLICT':
      return `Someone else changed this review while you were looking at it${
        context.seenVersion !== undefined && body.currentVersion !== undefined
          ? ` (you saw version ${context.seenVersion}; it is now version ${body.currentVersion})`
          : ''
      }. Nothing was changed. The page now shows the review as it is: check it, then try again.`;
    case 'ILLEGAL_TRANSITION':
      return `The review cannot move from ${stage(body.from)} to ${stage(body.to)}${
        body.allowed && body.allowed.length > 0
          ? `; from ${stage(body.from)} it may move to ${body.allowed.map(stage).join(' or ')}`
          : ''
      }. It may have moved meanwhile: the page now shows where it is.`;
    case 'REVIEW_PAUSED':
      return 'The review is paused: resume it before changing its stage, deadline or submissions.';
    case 'REVIEW_COMPLETED':
      return 'The review is completed: it can no longer change.';
    case 'NOT_RESPONSIBLE':
      return `${body.state ? stateLabel(body.state) : 'That State'} owes nothing in ${stage(body.stage)}${
        body.responsible && body.responsible.length > 0
          ? `; the States responsible now are ${body.responsible.map(stateLabel).join(', ')}`
          : ''
      }.`;
    case 'EXTENSION_REQUEST_CLOSED':
      return `This extension request is no longer open: ${
        body.status === 'approved'
          ? 'it was approved meanwhile'
          : body.status === 'declined'
            ? 'it was declined meanwhile'
            : body.status === 'lapsed'
              ? 'it lapsed when the review moved to another stage'
              : 'it was decided meanwhile'
      }. Nothing was changed. The page now shows the requests as they are.`;
    case 'EXTENSION_REQUEST_NOT_FOUND':
      return 'This review has no such extension request: reload the page to see the requests it has.';
    case 'REFERENCE_TAKEN':
      return `The reference ${body.reference ?? ''} is already used by another review.`;
    case 'VALIDATION_FAILED':
      return `Some values are not accepted: ${(body.issues ?? [])
        .map((issue) => `${issue.path.replace(/^body\./, '')}: ${issue.message}`)
        .join('; ')}.`;
    case 'NETWORK':
      return 'The API could not be reached. Check the connection and try again; nothing was sent twice.';
    default:
      if (error.status === 401) return 'Your sign-in has expired: sign in again.';
      if (error.status === 403)
        return 'Your role may not do this: only Secretariat officers may change reviews.';
      if (error.status === 404) return 'There is no such review.';
      if (error.status === 503 || error.status === 429)
        return `The service is busy or a part of it did not answer in time. The change happened once or not at all: reload and try again${
          error.retryAfterSeconds ? ` in ${error.retryAfterSeconds} s` : ''
        }.`;
      return `${body.message} (${error.status} ${body.error})`;
  }
}

export function ErrorMessage({ error, children }: { error: unknown; children?: ComponentChildren }) {
  if (error === undefined) return null;
  return (
    <div class="message error" role="alert">
      {children ?? explain(error)}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="message success" role="status">
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** A labelled date of record: "31 May 2027" with the time zone named for screen readers and on hover. */
export function TimeZoneNote({ timeZone }: { timeZone: string }) {
  return <p class="note">Dates and times are in {timeZone.replace('_', ' ')}, the time zone of record.</p>;
}
