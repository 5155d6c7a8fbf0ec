import type { CalendarDate } from '#shared/domain/calendar.ts';
import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import type { Language } from '#shared/domain/review.ts';
import { formatDeadline } from './format-deadline.ts';
import { type MailDocument, renderHtml, renderText } from './html.ts';
import { type FocalPointStrings, MESSAGES, type UntocStageId } from './messages.ts';

/**
 * Mail bodies: focal-point mail in the focal point's language, Secretariat mail in English
 * (DESIGN §3, "E-mail"). Pure functions of their input; the `.ics` and MIME are built elsewhere.
 */

/** A rendered mail: subject, plain text and a complete HTML document. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The focal-point kinds of mail. */
export type FocalPointMailKind = 'stage_notice' | 'reminder' | 'overdue_notice';

/** What a focal-point mail says. States are ISO 3166-1 alpha-3 codes. */
export interface FocalPointMailInput {
  kind: FocalPointMailKind;
  language: Language;
  reviewId: string;
  stateUnderReview: string;
  cluster: number;
  instruments: string[];
  /** Stage id; the UNTOC stages are translated, others shown as their id. */
  stage: string;
  /** What closes the stage, in English, from the process definition. */
  stageCloses: string;
  /** The review's participants who must act in the stage. */
  responsibleStates: string[];
  /** The State the focal point represents. */
  recipientState: string;
  recipientName: string;
  deadline: CalendarDate | null;
  /** The process's time zone of record. */
  timeZone: string;
  /** Reminders: whole days until the deadline (0 = due today). */
  daysLeft?: number;
  /** Overdue notices: whole days since the deadline. */
  daysOverdue?: number;
}

/** One notification already sent (or not) for the stage, as an escalation lists it. */
export interface EscalationReminder {
  kind: string;
  /** ISO instant it was due. */
  dueAt: string;
  /** Who it went to (a State code or a masked address). */
  recipient: string;
  status: string;
  reason?: string;
}

/** What a Secretariat mail says; English only. */
export type SecretariatMailInput =
  | {
      kind: 'escalation';
      reviewId: string;
      stateUnderReview: string;
      cluster: number;
      stage: string;
      responsibleStates: string[];
      deadline: CalendarDate;
      timeZone: string;
      daysOverdue: number;
      /** 1 for the first escalation of the stage, up to the policy's maximum (6 by default). */
      occurrence: number;
      reminders: EscalationReminder[];
    }
  | {
      kind: 'no_focal_point';
      reviewId: string;
      stateUnderReview: string;
      cluster: number;
      stage: string;
      /** The participant without a focal point. */
      state: string;
      notificationKind: NotificationKind;
      deadline: CalendarDate | null;
      timeZone: string;
    }
  | {
      kind: 'undeliverable';
      reviewId?: string;
      state?: string;
      reason: 'bounce' | 'complaint';
      /** A masked address such as `j***@example.org`; masked again here in case it is not. */
      addressHint: string;
    };

/** A subject is one line: control characters (CR, LF, tab) become one space; no-break spaces stay. */
function oneLine(value: string): string {
  return value
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function isUntocStage(stage: string): stage is UntocStageId {
  return Object.hasOwn(MESSAGES.en.stages, stage);
}

/** The stage's name in the language; an unknown stage id is shown as it is. */
export function stageName(stage: string, language: Language): string {
  return isUntocStage(stage) ? MESSAGES[language].stages[stage] : stage;
}

/**
 * What closes the stage: translated when it is the UNTOC process's own wording, else the
 * process's English text (a custom process has no translations).
 */
function stageOutcome(strings: FocalPointStrings, stage: string, closes: string): string {
  if (isUntocStage(stage) && closes.trim() === MESSAGES.en.closes[stage]) return strings.closes[stage];
  return closes;
}

function instrumentName(strings: FocalPointStrings, instrument: string): string {
  return Object.hasOwn(strings.instruments, instrument)
    ? strings.instruments[instrument as keyof FocalPointStrings['instruments']]
    : instrument;
}

function list(strings: FocalPointStrings, items: string[]): string {
  return items.length === 0 ? strings.none : items.join(strings.listSeparator);
}

/** A count the text can use, or undefined when absent or meaningless. */
function count(value: number | undefined, min: number): number | undefined {
  return value !== undefined && Number.isInteger(value) && value >= min ? value : undefined;
}

/** `j***@example.org`: enough to recognise an address, not enough to harvest it. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address.length <= 1 ? '***' : `${address.slice(0, 1)}***`;
  const local = address.slice(0, at);
  return `${local.slice(0, 1) || '*'}***${address.slice(at)}`;
}

/**
 * A stage notice, reminder or overdue notice to one focal point, in their language. It names
 * only this review's responsible participants; whether the recipient's State must act is
 * said in words.
 */
export function renderFocalPointMail(input: FocalPointMailInput): RenderedMail {
  const s = MESSAGES[input.language];
  const sur = oneLine(input.stateUnderReview);
  const stage = oneLine(stageName(input.stage, input.language));
  const name = oneLine(input.recipientName);
  const recipientState = oneLine(input.recipientState);
  const daysLeft = count(input.daysLeft, 0);
  const daysOverdue = count(input.daysOverdue, 1);

  let subject: string;
  let lead: string;
  let note: string;
  const extraRows: [string, string][] = [];
  switch (input.kind) {
    case 'stage_notice':
      subject = s.subject.stage_notice(sur, input.cluster, stage);
      lead = s.body.stage_notice(sur, stage);
      note = input.responsibleStates.includes(input.recipientState)
        ? s.body.act(recipientState)
        : s.body.info(recipientState);
      break;
    case 'reminder':
      subject = s.subject.reminder(sur, stage, daysLeft);
      lead = s.body.reminder(sur, stage, daysLeft);
      note = s.body.reminderNote;
      if (daysLeft !== undefined) extraRows.push([s.labels.daysLeft, String(daysLeft)]);
      break;
    case 'overdue_notice':
      subject = s.subject.overdue_notice(sur, stage);
      lead = s.body.overdue_notice(sur, stage, daysOverdue);
      note = s.body.overdueNote;
      if (daysOverdue !== undefined) extraRows.push([s.labels.daysSince, String(daysOverdue)]);
      break;
  }

  const doc: MailDocument = {
    lang: input.language,
    dir: input.language === 'ar' ? 'rtl' : 'ltr',
    title: oneLine(subject),
    intro: [s.greeting(name), lead],
    rows: [
      [s.labels.review, input.reviewId],
      [s.labels.stateUnderReview, sur],
      [s.labels.cluster, String(input.cluster)],
      [
        s.labels.instruments,
        list(
          s,
          input.instruments.map((i) => instrumentName(s, i)),
        ),
      ],
      [s.labels.stage, stage],
      [s.labels.outcome, stageOutcome(s, input.stage, input.stageCloses)],
      [s.labels.responsible, list(s, input.responsibleStates)],
      [
        s.labels.deadline,
        input.deadline === null ? s.none : formatDeadline(input.deadline, input.language, input.timeZone),
      ],
      ...extraRows,
    ],
    colon: input.language === 'fr' ? '\u00a0: ' : input.language === 'zh' ? '：' : ': ',
    outro: [note, s.thanks],
    signOff: s.signOff,
    footer: s.footer,
  };
  return { subject: oneLine(subject), text: renderText(doc), html: renderHtml(doc) };
}

const SECRETARIAT_SIGN_OFF = ['untoc-review-tracker', 'on behalf of the Secretariat of the Review Mechanism'];
const SECRETARIAT_FOOTER =
  'Sent to the UNODC Secretariat only. The Mechanism is non-ranking and non-punitive: please do not forward information on late States outside the Secretariat.';

const words = (kind: string) => kind.replaceAll('_', ' ');

function secretariatDoc(
  title: string,
  intro: string[],
  rows: [string, string][],
  outro: string[],
  table?: MailDocument['table'],
): RenderedMail {
  const subject = oneLine(title);
  const doc: MailDocument = {
    lang: 'en',
    dir: 'ltr',
    title: subject,
    intro: ['Dear colleagues,', ...intro],
    rows,
    colon: ': ',
    outro,
    signOff: SECRETARIAT_SIGN_OFF,
    footer: SECRETARIAT_FOOTER,
    ...(table ? { table } : {}),
  };
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}

/** Escalations, missing focal points and undeliverable addresses, to the Secretariat, in English. */
export function renderSecretariatMail(input: SecretariatMailInput): RenderedMail {
  const en = MESSAGES.en;
  switch (input.kind) {
    case 'escalation': {
      const sur = oneLine(input.stateUnderReview);
      const stage = oneLine(stageName(input.stage, 'en'));
      const days = en.days(input.daysOverdue);
      return secretariatDoc(
        `Escalation ${input.occurrence}: review of ${sur}, ${stage} stage ${days} past its deadline`,
        [
          `The ${stage} stage of the review of ${sur} (cluster ${input.cluster}) passed its deadline ${days} ago and has not moved on. This is escalation ${input.occurrence} for this deadline.`,
        ],
        [
          ['Review', input.reviewId],
          ['State under review', sur],
          ['Cluster', String(input.cluster)],
          ['Stage', stage],
          ['Responsible participants', list(en, input.responsibleStates)],
          ['Deadline', formatDeadline(input.deadline, 'en', input.timeZone)],
          ['Days overdue', String(input.daysOverdue)],
          ['Escalation', String(input.occurrence)],
        ],
        [
          'You may wish to contact the focal points concerned, extend the deadline or pause the review through the API.',
        ],
        {
          caption: 'Notifications sent for this stage',
          head: ['Kind', 'Due', 'Recipient', 'Status'],
          rows: input.reminders.map((r) => [
            words(r.kind),
            r.dueAt,
            r.recipient,
            r.reason ? `${r.status} (${r.reason})` : r.status,
          ]),
          empty: 'No reminder was sent for this stage.',
        },
      );
    }
    case 'no_focal_point': {
      const sur = oneLine(input.stateUnderReview);
      const stage = oneLine(stageName(input.stage, 'en'));
      const state = oneLine(input.state);
      return secretariatDoc(
        `No focal point for ${state} (review ${input.reviewId}: ${sur}, ${stage})`,
        [
          `${state} has no focal point registered in the review of ${sur} (cluster ${input.cluster}), so the ${words(input.notificationKind)} for the ${stage} stage could not be sent to it.`,
        ],
        [
          ['Review', input.reviewId],
          ['State under review', sur],
          ['Cluster', String(input.cluster)],
          ['Stage', stage],
          ['Participant without a focal point', state],
          ['Notification', words(input.notificationKind)],
          [
            'Deadline',
            input.deadline === null ? 'none' : formatDeadline(input.deadline, 'en', input.timeZone),
          ],
        ],
        [
          `Please register a focal point for ${state} (PUT /reviews/${input.reviewId}/focal-points/${state}); later notifications will go to them.`,
        ],
      );
    }
    case 'undeliverable': {
      const state = input.state === undefined ? undefined : oneLine(input.state);
      const where = [state, input.reviewId === undefined ? undefined : `review ${input.reviewId}`]
        .filter((part) => part !== undefined)
        .join(', ');
      const hint = maskAddress(oneLine(input.addressHint));
      const what =
        input.reason === 'bounce'
          ? 'a permanent bounce'
          : 'a complaint (the recipient marked a message as unwanted)';
      return secretariatDoc(
        `Undeliverable focal point address (${input.reason})${where ? `: ${where}` : ''}`,
        [
          `Amazon SES reported ${what} for the address ${hint}. The address is now marked undeliverable and later mail to it is skipped.`,
        ],
        [
          ['Review', input.reviewId ?? 'unknown'],
          ['State', state ?? 'unknown'],
          ['Reason', input.reason],
          ['Address', hint],
        ],
        [
          `Please confirm the focal point's address with ${state ?? 'the State concerned'} and register it again once corrected.`,
        ],
      );
    }
  }
}
