import { UNTOC_TEXT } from '#shared/domain/processes/untoc.text.ts';
import type {
  ExtensionDecision,
  FocalPointMailInput,
  SecretariatMailInput,
} from '#shared/email/templates.ts';

/** A reminder to Austria's focal point: Greece's desk review, Austria and Brazil must act and still owe. */
export function aFocalPointMail(overrides: Partial<FocalPointMailInput> = {}): FocalPointMailInput {
  return {
    kind: 'reminder',
    language: 'en',
    reference: 'GRC-C2-2026',
    stateUnderReview: 'GRC',
    cluster: 2,
    instruments: ['UNTOC', 'TIP'],
    stage: 'desk_review',
    words: UNTOC_TEXT,
    responsibleStates: ['AUT', 'BRA'],
    owingStates: ['AUT', 'BRA'],
    recipientState: 'AUT',
    recipientName: 'Maria Huber',
    recipientRole: 'focal_point',
    deadline: '2027-05-31',
    timeZone: 'Europe/Vienna',
    daysLeft: 7,
    contact: { name: 'Jane Doe', email: 'jane.doe@un.example' },
    ...overrides,
  };
}

/**
 * Austria asked on 11 May 2027 at 22:30 UTC (already 12 May in Vienna) to move the desk review's
 * deadline to 30 June 2027; approved by default.
 */
export function anExtensionDecision(overrides: Partial<ExtensionDecision> = {}): ExtensionDecision {
  return {
    outcome: 'approved',
    requestedDeadline: '2027-06-30',
    requestedAt: '2027-05-11T22:30:00.000Z',
    reason: 'The national consultation on the feedback ends in June.',
    ...overrides,
  };
}

/** A personal page as the token route builds it; the `&` must become `&amp;` in HTML. */
export const RESPOND_URL = 'https://tracker.example/respond/q7x_k2-w9zp4m?v=1&lang=en';

type Escalation = Extract<SecretariatMailInput, { kind: 'escalation' }>;
type NoFocalPoint = Extract<SecretariatMailInput, { kind: 'no_focal_point' }>;
type Undeliverable = Extract<SecretariatMailInput, { kind: 'undeliverable' }>;
type AllSubmissions = Extract<SecretariatMailInput, { kind: 'all_submissions_received' }>;

/** The second escalation of Greece's desk review: Austria has submitted, Brazil still owes. */
export function anEscalation(overrides: Partial<Escalation> = {}): Escalation {
  return {
    kind: 'escalation',
    reference: 'GRC-C2-2026',
    reviewId: '0b9e6a52-5d55-4a57-9a43-1f4b0e2c9d11',
    stateUnderReview: 'GRC',
    cluster: 2,
    stage: 'desk_review',
    words: UNTOC_TEXT,
    owingStates: ['BRA'],
    deadline: '2027-05-31',
    timeZone: 'Europe/Vienna',
    daysOverdue: 14,
    occurrence: 2,
    reminders: [
      { kind: 'reminder', dueAt: '2027-05-01T07:00:00.000Z', recipient: 'AUT', status: 'sent' },
      { kind: 'reminder', dueAt: '2027-05-17T07:00:00.000Z', recipient: 'BRA', status: 'sent' },
      {
        kind: 'reminder',
        dueAt: '2027-05-24T07:00:00.000Z',
        recipient: 'BRA/expert/e-1',
        status: 'skipped',
        reason: 'address undeliverable',
      },
      { kind: 'overdue_notice', dueAt: '2027-06-01T07:00:00.000Z', recipient: 'BRA', status: 'failed' },
      { kind: 'overdue_notice', dueAt: '2027-06-01T07:00:00.000Z', recipient: '-', status: 'queued' },
    ],
    ...overrides,
  };
}

/** A reminder for Brazil, which has no focal point. */
export function aNoFocalPoint(overrides: Partial<NoFocalPoint> = {}): NoFocalPoint {
  return {
    kind: 'no_focal_point',
    reference: 'GRC-C2-2026',
    reviewId: '0b9e6a52-5d55-4a57-9a43-1f4b0e2c9d11',
    stateUnderReview: 'GRC',
    cluster: 2,
    stage: 'desk_review',
    words: UNTOC_TEXT,
    state: 'BRA',
    notificationKind: 'reminder',
    deadline: '2027-05-31',
    timeZone: 'Europe/Vienna',
    ...overrides,
  };
}

/** A permanent bounce for Brazil's focal point. */
export function anUndeliverable(overrides: Partial<Undeliverable> = {}): Undeliverable {
  return {
    kind: 'undeliverable',
    reference: 'GRC-C2-2026',
    reviewId: '0b9e6a52-5d55-4a57-9a43-1f4b0e2c9d11',
    state: 'BRA',
    reason: 'bounce',
    addressHint: 'joao.silva@itamaraty.example',
    ...overrides,
  };
}

/** Austria and Brazil have both sent their desk review feedback. */
export function allSubmissionsReceived(overrides: Partial<AllSubmissions> = {}): AllSubmissions {
  return {
    kind: 'all_submissions_received',
    reference: 'GRC-C2-2026',
    reviewId: '0b9e6a52-5d55-4a57-9a43-1f4b0e2c9d11',
    stateUnderReview: 'GRC',
    cluster: 2,
    stage: 'desk_review',
    words: UNTOC_TEXT,
    submissions: [
      { state: 'AUT', receivedAt: '2027-05-20T14:30:00.000Z' },
      // 23:30 UTC on 1 March is already 2 March in Vienna.
      { state: 'BRA', receivedAt: '2027-03-01T23:30:00.000Z' },
    ],
    deadline: '2027-05-31',
    timeZone: 'Europe/Vienna',
    nextStages: ['dialogue'],
    ...overrides,
  };
}
