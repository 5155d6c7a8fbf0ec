import type { FocalPointMailInput } from '#shared/email/templates.ts';

/** A reminder to Austria's focal point: Greece's desk review, Austria and Brazil must act. */
export function aFocalPointMail(overrides: Partial<FocalPointMailInput> = {}): FocalPointMailInput {
  return {
    kind: 'reminder',
    language: 'en',
    reviewId: 'rev-1',
    stateUnderReview: 'GRC',
    cluster: 2,
    instruments: ['UNTOC', 'TIP'],
    stage: 'desk_review',
    stageCloses: 'written feedback sent',
    responsibleStates: ['AUT', 'BRA'],
    recipientState: 'AUT',
    recipientName: 'Maria Huber',
    deadline: '2027-05-31',
    timeZone: 'Europe/Vienna',
    daysLeft: 7,
    ...overrides,
  };
}
