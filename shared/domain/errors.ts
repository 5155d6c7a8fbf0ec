/**
 * The one domain error hierarchy (STYLE.md item 7): stable codes, no HTTP knowledge. The
 * HTTP mapper turns the four families below into status codes by class.
 */
export abstract class DomainError extends Error {
  /** Stable, machine-readable code (the API's `error` field). */
  abstract readonly code: string;
  /** Extra fields safe to show the caller (never addresses or names). */
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** One problem with an input, pointing at where it is. */
export interface InputIssue {
  path: string;
  message: string;
}

/** The input breaks a domain rule that a schema could not see. */
export class InvalidInputError extends DomainError {
  readonly code: string = 'VALIDATION_FAILED';
  constructor(
    message: string,
    readonly issues: InputIssue[],
  ) {
    super(message);
  }
}

/** The thing asked for does not exist. */
export abstract class NotFoundError extends DomainError {}

export class ReviewNotFoundError extends NotFoundError {
  readonly code = 'REVIEW_NOT_FOUND';
  constructor() {
    super('No such review.');
  }
}

/** The request is valid but conflicts with the current state. */
export abstract class ConflictError extends DomainError {}

export class IllegalTransitionError extends ConflictError {
  readonly code = 'ILLEGAL_TRANSITION';
  constructor(from: string, to: string, allowed: string[]) {
    super(`A review in stage ${from} cannot move to ${to}.`, { from, to, allowed });
  }
}

export class VersionConflictError extends ConflictError {
  readonly code = 'VERSION_CONFLICT';
  constructor(readonly currentVersion: number) {
    super('The review has changed since you read it; read it again and retry.', { currentVersion });
  }
}

export class ReviewPausedError extends ConflictError {
  readonly code = 'REVIEW_PAUSED';
  constructor() {
    super('The review is paused: resume it first.');
  }
}

export class ReviewNotPausedError extends ConflictError {
  readonly code = 'REVIEW_NOT_PAUSED';
  constructor() {
    super('The review is not paused.');
  }
}

export class ReviewCompletedError extends ConflictError {
  readonly code = 'REVIEW_COMPLETED';
  constructor() {
    super('The review is completed; nothing more can change.');
  }
}

export class NotResponsibleError extends ConflictError {
  readonly code = 'NOT_RESPONSIBLE';
  constructor(state: string, stage: string, responsible: string[]) {
    super(`${state} owes no submission in the ${stage} stage.`, { state, stage, responsible });
  }
}

export class ReferenceTakenError extends ConflictError {
  readonly code = 'REFERENCE_TAKEN';
  constructor(reference: string) {
    super(`The reference ${reference} is already taken by another review.`, { reference });
  }
}

export class ExtensionRequestNotFoundError extends NotFoundError {
  readonly code = 'EXTENSION_REQUEST_NOT_FOUND';
  constructor() {
    super('No such extension request for this review.');
  }
}

/** The request was already decided, or lapsed when the stage moved on: nothing is left to decide. */
export class ExtensionRequestClosedError extends ConflictError {
  readonly code = 'EXTENSION_REQUEST_CLOSED';
  constructor(status: string) {
    super(`The extension request is ${status}: nothing is left to decide.`, { status });
  }
}
