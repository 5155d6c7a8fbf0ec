import type { CalendarDate, Instant } from '#shared/domain/calendar.ts';
import type { ProcessText } from '#shared/domain/process-definition.ts';
import type { Language } from '#shared/domain/review.ts';

/**
 * What the focal-point page (`/respond/{token}`, DESIGN §10) shows: one review's stage, its
 * deadline and what the token holder's State owes, nothing of any other State or review. The
 * use case builds it; `renderRespondPage` turns it into HTML in the holder's language.
 */
export interface RespondView {
  language: Language;
  /** The review's human reference (`GRC-C2-2026`). */
  reference: string;
  stateUnderReview: string;
  /** The State the token holder represents (ISO 3166-1 alpha-3). */
  recipientState: string;
  recipientRole: 'focal_point' | 'expert';
  /** Stage id, named from `words` in the holder's language. */
  stage: string;
  words: ProcessText;
  deadline: CalendarDate | null;
  /** The process's time zone of record, named with every date. */
  timeZone: string;
  /**
   * The State's part in this stage: not responsible (`null`), owing, reported by its focal point
   * (reminders held until `holdUntil`), or received by the Secretariat.
   */
  submission:
    | null
    | { status: 'owing' }
    | { status: 'reported'; at: Instant; holdUntil: CalendarDate }
    | { status: 'received'; at: Instant };
  /** When this holder acknowledged the current stage, if they did. */
  acknowledgedAt?: Instant | undefined;
  /** The State's extension request waiting for the Secretariat's decision, if any. */
  openRequest?: { requestedDeadline: CalendarDate; reason: string; requestedAt: Instant } | undefined;
  /** The Secretariat's latest decision on one of the State's requests in this stage, if any. */
  lastDecision?:
    | {
        outcome: 'approved' | 'declined';
        requestedDeadline: CalendarDate;
        reason: string;
        /** approved: the deadline that now applies. */
        newDeadline?: CalendarDate | undefined;
        decidedAt: Instant;
      }
    | undefined;
  /** Which forms the page offers. */
  can: { acknowledge: boolean; report: boolean; requestExtension: boolean };
  /** The form's `action`: the page's own path (`/respond/<token>`). */
  action: string;
  /** The hidden `csrf` field each form carries (checked on POST). */
  csrf: string;
  /** Whom to ask: the review's Secretariat officer or the deployment's address. */
  contact: string;
  /** Today in the time zone of record: the extension date field's `min` is the day after the deadline or today. */
  today: CalendarDate;
}

/** What the last action did, shown above the forms. */
export type RespondNotice =
  | 'acknowledged'
  | 'already_acknowledged'
  | 'reported'
  | 'already_reported'
  | 'extension_requested'
  | 'extension_already_open';

/** Why the page cannot serve the link, each with its own status and words. */
export type RespondRefusal =
  /** 403: the token is not one of ours (altered, truncated, made up). */
  | 'altered'
  /** 403: the person the link was made for is no longer the State's focal point or expert. */
  | 'replaced'
  /** 410: past the link's expiry (the stage deadline + 60 days). */
  | 'expired'
  /** 410: the review has moved to another stage (or was completed, or is gone). */
  | 'stage_over'
  /** 429: too many requests with this link; `retryAfterSeconds` says when to try again. */
  | 'rate_limited'
  /** 403: a form sent from another site, or without the page's `csrf` field. */
  | 'forbidden_origin'
  /** 503: a dependency did not answer in time. */
  | 'unavailable'
  /** 400: the form could not be read, or asked for an action this holder cannot take. */
  | 'bad_request';

/** The form's fields, as sent back when one is invalid (shown again, with the error). */
export interface RespondFormValues {
  deadline?: string | undefined;
  reason?: string | undefined;
}

/** A field the focal point must correct, by field, in the page's words. */
export type RespondFieldError =
  | { field: 'deadline'; problem: 'missing' | 'invalid' | 'not_after_deadline' | 'too_far' }
  | { field: 'reason'; problem: 'missing' | 'too_long' };

export type RespondPage =
  | {
      kind: 'page';
      view: RespondView;
      notice?: RespondNotice | undefined;
      /** Invalid extension form: shown again with these errors (status 400). */
      errors?: RespondFieldError[] | undefined;
      values?: RespondFormValues | undefined;
    }
  | {
      kind: 'refused';
      refusal: RespondRefusal;
      /** The holder's language when the token could be read; English otherwise. */
      language: Language;
      retryAfterSeconds?: number | undefined;
    };

/** A rendered page: status, the complete HTML document and the headers it needs (CSP, caching). */
export interface RenderedRespondPage {
  statusCode: number;
  html: string;
  headers: Record<string, string>;
}
