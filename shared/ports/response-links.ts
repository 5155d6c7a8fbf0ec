import type { CalendarDate } from '#shared/domain/calendar.ts';
import type { Language } from '#shared/domain/review.ts';

/**
 * The personal links of focal-point mail (`/respond/{token}`, DESIGN §10): a token names one
 * review's stage epoch, one State, one person (by a keyed digest of their address, never the
 * address) in one role and language, and the day it expires. Tokens are opaque (nothing in them
 * is readable) and signed with the deployment's secret; a rotated secret still reads the tokens
 * the previous one signed.
 */
export interface ResponseLinkClaims {
  reviewId: string;
  stageEpoch: number;
  /** The State the person answers for (ISO 3166-1 alpha-3). */
  state: string;
  role: 'focal_point' | 'expert';
  /** The page's language: the person's when the link was made. */
  language: Language;
  /** The last day (time zone of record) the link works: the stage deadline + 60 days. */
  expiresOn: CalendarDate;
}

/** A token that checked out: its claims, and whether an address is the person it was made for. */
export interface ReadResponseLink {
  claims: ResponseLinkClaims;
  /** True when `email` is the address the link was made for (case and spaces aside). */
  isFor(email: string): boolean;
  /** A keyed digest of the token, to count its requests by (no token in a store or a log). */
  tokenKey: string;
  /** A keyed value the page's forms carry back (CSRF): only a page served for this token has it. */
  formKey: string;
  /** Whether a form carried this token's {@link formKey} back (compared in constant time). */
  acceptsForm(value: string): boolean;
}

export interface ResponseLinks {
  /** The token of one person's link. */
  tokenFor(claims: ResponseLinkClaims & { email: string }): Promise<string>;
  /** The token's claims, or undefined when it is not one of ours (altered, cut, made up). */
  read(token: string): Promise<ReadResponseLink | undefined>;
}
