import type { CalendarDate, Instant } from '#shared/domain/calendar.ts';
import { isStateCode, stateName } from '#shared/domain/countries.ts';
import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import type { ProcessText } from '#shared/domain/process-definition.ts';
import type { Language } from '#shared/domain/review.ts';
import { formatDate, formatDateTime, formatDeadline, formatLocalDate } from './format-deadline.ts';
import { type MailDocument, type MailParagraph, renderHtml, renderText } from './html.ts';
import { type DeadlineChange, type ExtensionOutcome, type FocalPointStrings, MESSAGES } from './messages.ts';
import { oneLine } from './one-line.ts';
import { type StateMentions, stateMentions } from './state-names.ts';

/**
 * Mail bodies: focal-point mail in the recipient's language, Secretariat mail in English
 * (DESIGN §3, "E-mail"). Pure functions of their input; the `.ics` and MIME are built elsewhere.
 * Every mail names the review by its reference and States by name (code in brackets the first
 * time), and shows dates local to the time zone of record, never raw instants.
 */

/** A rendered mail: subject, plain text and a complete HTML document. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The focal-point kinds of mail. */
export type FocalPointMailKind =
  | 'stage_notice'
  | 'reminder'
  | 'overdue_notice'
  /** The deadline of the current stage was extended or shortened (sent to States still owing). */
  | 'deadline_changed'
  /** The review is paused: nothing is due until it resumes (all participants). */
  | 'paused'
  /** The review resumed, with the (possibly moved) deadline (all participants). */
  | 'resumed'
  /** The Secretariat's answer to a State's request for more time (that State's focal point). */
  | 'extension_decision';

/** The Secretariat's decision on a State's extension request, as the decision mail tells it. */
export interface ExtensionDecision {
  outcome: ExtensionOutcome;
  /** The deadline the State asked for. */
  requestedDeadline: CalendarDate;
  /** ISO instant the State made its request; the mail shows its local date. */
  requestedAt: Instant;
  /** The Secretariat's reason, quoted in the mail as written (on one line). */
  reason: string;
}

/** Whom a focal point may ask: the review's Secretariat officer or the deployment's address. */
export interface MailContact {
  name?: string | undefined;
  email: string;
}

/** What a focal-point mail says. States are ISO 3166-1 alpha-3 codes. */
export interface FocalPointMailInput {
  kind: FocalPointMailKind;
  language: Language;
  /** The review's human reference, e.g. `GRC-C2-2026`: in every subject and in the body. */
  reference: string;
  stateUnderReview: string;
  cluster: number;
  instruments: string[];
  /** Stage id, named in the recipient's language from the process's words. */
  stage: string;
  /** The review's process's words: stage names, what closes each, instruments, what a cluster is. */
  words: ProcessText;
  /** The review's participants who must act in the stage. */
  responsibleStates: string[];
  /** The responsible States that have not yet submitted. */
  owingStates: string[];
  /** The State the recipient represents. */
  recipientState: string;
  recipientName: string;
  /** A focal point, or a governmental expert getting their own copy for their State. */
  recipientRole: 'focal_point' | 'expert';
  deadline: CalendarDate | null;
  /**
   * deadline_changed and resumed: the deadline before the change (null if none); extension_decision:
   * the deadline before an approved request.
   */
  previousDeadline?: CalendarDate | null | undefined;
  /** The process's time zone of record. */
  timeZone: string;
  /** Reminders: whole days until the deadline (0 = due today). */
  daysLeft?: number | undefined;
  /** Overdue notices: whole days since the deadline. */
  daysOverdue?: number | undefined;
  /** stage_notice only: the deadline had already passed when this notice was made (a focal point registered late). */
  alreadyOverdue?: boolean | undefined;
  /** Whom to ask: the review's Secretariat officer or the deployment's address. A closing line names it. */
  contact: MailContact;
  /**
   * The recipient's personal page (`https://…/respond/<token>`, DESIGN §10), shown in every kind of
   * mail when given. Only an `https:` or `http:` URL is accepted: anything else throws.
   */
  respondUrl?: string | undefined;
  /** extension_decision only (required there): what was asked and what the Secretariat decided. */
  extensionDecision?: ExtensionDecision | undefined;
}

/** One notification already sent (or not) for the stage, as an escalation lists it. */
export interface EscalationReminder {
  kind: string;
  /** ISO instant it was due. */
  dueAt: string;
  /** Who it went to (a State code or a masked address). */
  recipient: string;
  status: string;
  reason?: string | undefined;
}

/** What a Secretariat mail says; English only. */
export type SecretariatMailInput =
  | {
      kind: 'escalation';
      reference: string;
      reviewId: string;
      stateUnderReview: string;
      cluster: number;
      stage: string;
      words: ProcessText;
      /** Only the States still owing: never one that has submitted. */
      owingStates: string[];
      deadline: CalendarDate;
      timeZone: string;
      daysOverdue: number;
      /** 1 for the first escalation of the stage, up to the policy's maximum (6 by default). */
      occurrence: number;
      reminders: EscalationReminder[];
      /** True when older notifications of the stage were left out of `reminders` (a bounded read). */
      olderNotListed?: boolean | undefined;
    }
  | {
      kind: 'no_focal_point';
      reference: string;
      reviewId: string;
      stateUnderReview: string;
      cluster: number;
      stage: string;
      words: ProcessText;
      /** The participant without a focal point. */
      state: string;
      notificationKind: NotificationKind;
      deadline: CalendarDate | null;
      timeZone: string;
    }
  | {
      kind: 'undeliverable';
      reference?: string | undefined;
      reviewId?: string | undefined;
      state?: string | undefined;
      reason: 'bounce' | 'complaint';
      /** A masked address such as `j***@example.org`; masked again here in case it is not. */
      addressHint: string;
    }
  | {
      kind: 'all_submissions_received';
      reference: string;
      reviewId: string;
      stateUnderReview: string;
      cluster: number;
      stage: string;
      words: ProcessText;
      /** `receivedAt` is an ISO instant. */
      submissions: { state: string; receivedAt: string }[];
      deadline: CalendarDate | null;
      timeZone: string;
      /** Stage ids the review may move to. */
      nextStages: string[];
    };

/** The stage's name in the language; a stage the words do not name is shown as its id. */
export function stageName(words: ProcessText, stage: string, language: Language): string {
  return own(words[language].stages, stage) ?? stage;
}

/** A translation by id, never one of Object.prototype's members (a stage called `valueOf`). */
function own(table: Record<string, string>, id: string): string | undefined {
  return Object.hasOwn(table, id) ? table[id] : undefined;
}

/** What closes the stage, in the language; empty when the words do not say. */
function stageOutcome(words: ProcessText, stage: string, language: Language): string {
  return own(words[language].closes, stage) ?? '';
}

/** The outcome line, when the process's words say what closes the stage. */
function outcomeRow(
  s: FocalPointStrings,
  words: ProcessText,
  stage: string,
  language: Language,
): [string, string][] {
  const outcome = oneLine(stageOutcome(words, stage, language));
  return outcome ? [[s.labels.outcome, outcome]] : [];
}

function instrumentName(words: ProcessText, instrument: string, language: Language): string {
  return own(words[language].instruments, instrument) ?? instrument;
}

function list(strings: FocalPointStrings, items: string[]): string {
  return items.length === 0 ? strings.none : items.join(strings.listSeparator);
}

/** A count the text can use, or undefined when absent or meaningless. */
function count(value: number | undefined, min: number): number | undefined {
  return value !== undefined && Number.isInteger(value) && value >= min ? value : undefined;
}

/** A calendar date the formatters accept, or null: a malformed one is treated as none, not thrown. */
function validDate(value: CalendarDate | null | undefined): CalendarDate | null {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

/** `j***@example.org`: enough to recognise an address, not enough to harvest it. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address.length <= 1 ? '***' : `${address.slice(0, 1)}***`;
  const local = address.slice(0, at);
  return `${local.slice(0, 1) || '*'}***${address.slice(at)}`;
}

/** Where the recipient's State stands in the stage. */
type Stance = 'act' | 'submitted' | 'info';

function stanceOf(input: FocalPointMailInput): Stance {
  if (!input.responsibleStates.includes(input.recipientState)) return 'info';
  return input.owingStates.includes(input.recipientState) ? 'act' : 'submitted';
}

/** How the deadline moved between `from` and `to` (dates compare as text: `YYYY-MM-DD`). */
function changeOf(from: CalendarDate | null, to: CalendarDate | null): DeadlineChange {
  if (to === null) return 'removed';
  if (from === null || from === to) return 'set';
  return to > from ? 'extended' : 'brought_forward';
}

/** The decision an extension_decision mail tells; a caller that leaves it out has a bug, not a mail. */
function decisionOf(input: FocalPointMailInput): ExtensionDecision {
  if (input.extensionDecision === undefined) {
    throw new TypeError('an extension_decision mail needs its extensionDecision');
  }
  return input.extensionDecision;
}

/** The sentences a focal-point mail opens with, after the salutation. */
function leadOf(
  input: FocalPointMailInput,
  s: FocalPointStrings,
  ref: string,
  stage: string,
  deadline: CalendarDate | null,
  previous: CalendarDate | null,
): string {
  const date = (d: CalendarDate) => formatDate(d, input.language);
  const sentences = (...parts: string[]) => parts.join(s.sentenceSeparator);
  switch (input.kind) {
    case 'stage_notice':
      return input.alreadyOverdue && deadline !== null
        ? s.body.stage_notice_passed(ref, stage)
        : s.body.stage_notice(ref, stage);
    case 'reminder':
      return s.body.reminder(ref, stage, count(input.daysLeft, 0));
    case 'overdue_notice':
      return s.body.overdue_notice(ref, stage, count(input.daysOverdue, 1));
    case 'deadline_changed': {
      const change = changeOf(previous, deadline);
      const changed = s.body.deadline_changed(
        ref,
        stage,
        change,
        previous === null ? '' : date(previous),
        deadline === null ? '' : date(deadline),
      );
      return deadline === null
        ? changed
        : sentences(
            changed,
            s.body.newDeadlineStands(formatDeadline(deadline, input.language, input.timeZone)),
          );
    }
    case 'paused':
      return s.body.paused(ref, stage);
    case 'resumed': {
      const resumed = s.body.resumed(ref, stage);
      if (deadline === null) return resumed;
      if (previous === null) return sentences(resumed, s.body.resumedDeadline(date(deadline)));
      return previous === deadline
        ? sentences(resumed, s.body.resumedUnchanged(date(deadline)))
        : sentences(resumed, s.body.resumedMoved(date(previous), date(deadline)));
    }
    case 'extension_decision': {
      const decision = decisionOf(input);
      const on = formatLocalDate(decision.requestedAt, input.language, input.timeZone) ?? '';
      const full = deadline === null ? null : formatDeadline(deadline, input.language, input.timeZone);
      if (decision.outcome === 'approved') {
        const granted = s.body.extensionGranted(ref, stage, on);
        return full === null ? granted : sentences(granted, s.body.extensionNewDeadline(full));
      }
      const declined = s.body.extensionDeclined(ref, stage, on);
      return full === null ? declined : sentences(declined, s.body.extensionDeadlineRemains(full));
    }
  }
}

/** The Secretariat's reason for its decision, quoted: a paragraph of its own, none when blank. */
function reasonOf(input: FocalPointMailInput, s: FocalPointStrings): string[] {
  if (input.kind !== 'extension_decision') return [];
  const reason = oneLine(decisionOf(input).reason);
  return reason ? [s.body.extensionReason(reason)] : [];
}

/**
 * What the recipient is asked to do, in words. An expert is never asked to act as the focal
 * point: they are told their State's focal point coordinates the submission.
 */
function notesOf(input: FocalPointMailInput, s: FocalPointStrings, deadline: CalendarDate | null): string[] {
  const expert = input.recipientRole === 'expert';
  const stance = stanceOf(input);
  const sentences = (...parts: string[]) => [parts.join(s.sentenceSeparator)];
  switch (input.kind) {
    case 'stage_notice':
    case 'resumed': {
      if (stance === 'submitted') return [s.body.submitted];
      if (stance === 'info') return [s.body.info];
      if (expert) return sentences(s.body.mustAct, s.body.expertCopy);
      if (deadline === null) return [s.body.mustAct];
      const passed = input.kind === 'stage_notice' && input.alreadyOverdue;
      return sentences(s.body.mustAct, passed ? s.body.asSoonAsPossible : s.body.byDeadline);
    }
    case 'reminder':
      return expert ? [s.body.expertCopy] : [s.body.reminderNote];
    case 'overdue_notice':
      return expert ? [s.body.expertCopy] : [s.body.overdueNote];
    case 'deadline_changed':
      if (stance === 'info') return [s.body.info];
      if (stance === 'submitted') return [s.body.submitted];
      if (expert) return [s.body.expertCopy];
      return deadline === null ? [] : [s.body.byNewDeadline];
    case 'paused':
      return [s.body.pausedNote];
    case 'extension_decision':
      if (stance === 'info') return [s.body.info];
      if (stance === 'submitted') return [s.body.submitted];
      if (expert) return [s.body.expertCopy];
      if (decisionOf(input).outcome === 'declined') return [s.body.extensionDeclinedNote];
      return deadline === null ? [] : [s.body.byNewDeadline];
  }
}

/**
 * The personal link and the line saying it is personal, before the thanks. The page takes every
 * action only from a focal point whose State owes a submission (DESIGN §10); anyone else is offered
 * what the page will take from them, an acknowledgement.
 */
function respondLinkOf(input: FocalPointMailInput, s: FocalPointStrings): MailParagraph[] {
  if (input.respondUrl === undefined) return [];
  const acts = input.recipientRole === 'focal_point' && stanceOf(input) === 'act';
  return [
    { lead: acts ? s.respond.act : s.respond.acknowledge, label: s.respond.label, href: input.respondUrl },
    s.respond.personal,
  ];
}

function subjectOf(
  input: FocalPointMailInput,
  s: FocalPointStrings,
  ref: string,
  stage: string,
  deadline: CalendarDate | null,
  previous: CalendarDate | null,
): string {
  const sur = stateName(oneLine(input.stateUnderReview), input.language);
  const date = (d: CalendarDate | null) => (d === null ? '' : formatDate(d, input.language));
  switch (input.kind) {
    case 'stage_notice':
      return input.alreadyOverdue && deadline !== null
        ? s.subject.stage_notice_passed(ref, sur, stage)
        : s.subject.stage_notice(ref, sur, stage);
    case 'reminder':
      return s.subject.reminder(ref, sur, stage, count(input.daysLeft, 0));
    case 'overdue_notice':
      return s.subject.overdue_notice(ref, sur, stage);
    case 'deadline_changed':
      return s.subject.deadline_changed(ref, sur, stage, changeOf(previous, deadline), date(deadline));
    case 'paused':
      return s.subject.paused(ref, sur, stage);
    case 'resumed':
      return s.subject.resumed(ref, sur, stage, deadline === null ? undefined : date(deadline));
    case 'extension_decision': {
      const { outcome } = decisionOf(input);
      return s.subject.extension_decision(ref, sur, outcome, outcome === 'approved' ? date(deadline) : '');
    }
  }
}

/** The details table, in reading order so the first mention of each State carries its code. */
function rowsOf(
  input: FocalPointMailInput,
  s: FocalPointStrings,
  ref: string,
  stage: string,
  mention: StateMentions,
  deadline: CalendarDate | null,
  previous: CalendarDate | null,
): [string, string][] {
  const full = (d: CalendarDate | null) =>
    d === null ? s.none : formatDeadline(d, input.language, input.timeZone);
  const states = (codes: string[]) =>
    list(
      s,
      codes.map((c) => mention(oneLine(c))),
    );
  const rows: [string, string][] = [
    [s.labels.review, ref],
    [s.labels.stateUnderReview, mention(oneLine(input.stateUnderReview))],
    [s.labels.yourState, mention(oneLine(input.recipientState))],
    [oneLine(input.words[input.language].cluster), String(input.cluster)],
    [
      s.labels.instruments,
      list(
        s,
        input.instruments.map((i) => oneLine(instrumentName(input.words, i, input.language))),
      ),
    ],
    [s.labels.stage, stage],
    ...outcomeRow(s, input.words, input.stage, input.language),
  ];
  switch (input.kind) {
    case 'stage_notice':
      rows.push([s.labels.responsible, states(input.responsibleStates)], [s.labels.deadline, full(deadline)]);
      break;
    case 'reminder': {
      rows.push([s.labels.owing, states(input.owingStates)], [s.labels.deadline, full(deadline)]);
      const daysLeft = count(input.daysLeft, 0);
      if (daysLeft !== undefined) rows.push([s.labels.daysLeft, String(daysLeft)]);
      break;
    }
    case 'overdue_notice': {
      rows.push([s.labels.owing, states(input.owingStates)], [s.labels.deadline, full(deadline)]);
      const daysOverdue = count(input.daysOverdue, 1);
      if (daysOverdue !== undefined) rows.push([s.labels.daysSince, String(daysOverdue)]);
      break;
    }
    case 'deadline_changed':
      rows.push([s.labels.owing, states(input.owingStates)]);
      if (previous !== null) rows.push([s.labels.previousDeadline, full(previous)]);
      rows.push([s.labels.newDeadline, full(deadline)]);
      break;
    case 'paused':
      // Nothing is due while paused: no deadline and no list of who owes what.
      break;
    case 'resumed':
      rows.push([s.labels.owing, states(input.owingStates)]);
      if (previous !== null && previous !== deadline) rows.push([s.labels.previousDeadline, full(previous)]);
      rows.push([s.labels.deadline, full(deadline)]);
      break;
    case 'extension_decision': {
      const decision = decisionOf(input);
      const requested = validDate(decision.requestedDeadline);
      rows.push([s.labels.owing, states(input.owingStates)]);
      if (requested !== null) rows.push([s.labels.requestedDeadline, full(requested)]);
      if (decision.outcome === 'approved') {
        if (previous !== null && previous !== deadline) {
          rows.push([s.labels.previousDeadline, full(previous)]);
        }
        rows.push([s.labels.newDeadline, full(deadline)]);
      } else {
        rows.push([s.labels.deadline, full(deadline)]);
      }
      break;
    }
  }
  return rows;
}

function contactLine(s: FocalPointStrings, contact: MailContact): string {
  return s.contact(oneLine(contact.name ?? ''), oneLine(contact.email));
}

/**
 * A mail to one focal point or governmental expert, in their language. It names only this
 * review's participants; whether the recipient's State must act is said in words, and a
 * closing line names whom to ask.
 */
export function renderFocalPointMail(input: FocalPointMailInput): RenderedMail {
  const s = MESSAGES[input.language];
  const ref = oneLine(input.reference);
  const stage = oneLine(stageName(input.words, input.stage, input.language));
  const deadline = validDate(input.deadline);
  const previous = validDate(input.previousDeadline);
  const mention = stateMentions(input.language);
  const subject = oneLine(subjectOf(input, s, ref, stage, deadline, previous));

  // Built in reading order: intro, table, closing lines, footer.
  const intro = [
    ...s.greeting(oneLine(input.recipientName)),
    leadOf(input, s, ref, stage, deadline, previous),
    ...reasonOf(input, s),
  ];
  const rows = rowsOf(input, s, ref, stage, mention, deadline, previous);
  const outro = [
    ...notesOf(input, s, deadline),
    ...respondLinkOf(input, s),
    s.thanks,
    contactLine(s, input.contact),
  ];
  const footer =
    input.recipientRole === 'expert' ? s.footerExpert(mention(oneLine(input.recipientState))) : s.footer;

  const doc: MailDocument = {
    lang: input.language,
    dir: input.language === 'ar' ? 'rtl' : 'ltr',
    title: subject,
    intro,
    rows,
    colon: s.colon,
    outro,
    signOff: s.signOff,
    footer,
  };
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}

/**
 * The calendar entry's title and description, in the recipient's language. The description
 * holds nothing that goes stale in a calendar (no "12 days left"): the stage, what closes it,
 * the deadline with its basis, and whom to ask.
 */
export function calendarText(input: {
  language: Language;
  reference: string;
  stateUnderReview: string;
  stage: string;
  words: ProcessText;
  deadline: CalendarDate;
  timeZone: string;
  contact: MailContact;
}): { summary: string; description: string } {
  const s = MESSAGES[input.language];
  const ref = oneLine(input.reference);
  const stage = oneLine(stageName(input.words, input.stage, input.language));
  const mention = stateMentions(input.language);
  const name = oneLine(input.contact.name ?? '');
  const email = oneLine(input.contact.email);
  const deadline = validDate(input.deadline);
  const rows: [string, string][] = [
    [s.labels.review, ref],
    [s.labels.stateUnderReview, mention(oneLine(input.stateUnderReview))],
    [s.labels.stage, stage],
    ...outcomeRow(s, input.words, input.stage, input.language),
    [
      s.labels.deadline,
      deadline === null ? s.none : formatDeadline(deadline, input.language, input.timeZone),
    ],
    [s.labels.contact, name ? `${name} (${email})` : email],
  ];
  return {
    summary: oneLine(s.calendarSummary(ref, stage)),
    description: rows.map(([label, value]) => `${label}${s.colon}${value}`).join('\n'),
  };
}

const SECRETARIAT_SIGN_OFF = ['untoc-review-tracker', 'on behalf of the Secretariat of the Review Mechanism'];
const SECRETARIAT_FOOTER =
  'Sent to the UNODC Secretariat only. The Mechanism is non-ranking and non-punitive: please do not forward information on late States outside the Secretariat.';

const words = (kind: string) => oneLine(kind).replaceAll('_', ' ');

/** `a`, `a or b`, `a, b or c`. */
function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

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

function englishDeadline(deadline: CalendarDate | null, timeZone: string): string {
  const date = validDate(deadline);
  return date === null ? 'none' : formatDeadline(date, 'en', timeZone);
}

/**
 * The State a delivery went to: a delivery's recipient is a State's focal point (`GRC`) or one
 * of its experts (`GRC/expert/<id>`); anything else (a masked address, `-`) is no State.
 */
function recipientStateOf(recipient: string): { code: string; expert: boolean } | undefined {
  const match = /^([A-Z]{3})(\/expert\/.*)?$/s.exec(recipient);
  const code = match?.[1];
  return code !== undefined && isStateCode(code) ? { code, expert: match?.[2] !== undefined } : undefined;
}

/** A recipient by name ("Greece", "Greece, expert"), never by a key or an expert's id. */
function recipientCell(recipient: string, mention: StateMentions): string {
  const state = recipientStateOf(recipient);
  if (state === undefined) return oneLine(recipient);
  return state.expert ? `${mention(state.code)}, expert` : mention(state.code);
}

function escalationMail(input: Extract<SecretariatMailInput, { kind: 'escalation' }>): RenderedMail {
  const en = MESSAGES.en;
  const mention = stateMentions('en');
  const ref = oneLine(input.reference);
  const sur = oneLine(input.stateUnderReview);
  const stage = oneLine(stageName(input.words, input.stage, 'en'));
  const days = en.days(input.daysOverdue);
  const owing = input.owingStates.map(oneLine);
  const owes =
    owing.length === 1
      ? 'one State still owes its submission'
      : `${owing.length} States still owe their submissions`;
  // Reminders to a State that has since submitted would name it: an escalation names only the
  // States still owing (DESIGN §2). Rows to no State (a masked address, "-") stay.
  const reminders = input.reminders.filter((r) => {
    const state = recipientStateOf(r.recipient);
    return state === undefined || owing.includes(state.code);
  });
  const intro = [
    `The ${stage} stage of review ${ref} passed its deadline ${days} ago and has not moved on; ${owes}. This is escalation ${input.occurrence} for this deadline.`,
  ];
  const rows: [string, string][] = [
    ['Review', ref],
    ['API id', oneLine(input.reviewId)],
    ['State under review', mention(sur)],
    ['Cluster', String(input.cluster)],
    ['Stage', stage],
    ['States still owing', list(en, owing.map(mention))],
    ['Deadline', englishDeadline(input.deadline, input.timeZone)],
    ['Days overdue', String(input.daysOverdue)],
    ['Escalation', String(input.occurrence)],
  ];
  const table: MailDocument['table'] = {
    caption: 'Notifications sent for this stage',
    head: ['Kind', 'Due', 'Recipient', 'Status'],
    rows: reminders.map((r) => [
      words(r.kind),
      formatDateTime(r.dueAt, 'en', input.timeZone) ?? 'unknown',
      recipientCell(r.recipient, mention),
      r.reason ? `${oneLine(r.status)} (${oneLine(r.reason)})` : oneLine(r.status),
    ]),
    empty: 'No reminder was sent for this stage.',
  };
  return secretariatDoc(
    `Escalation ${input.occurrence}: ${ref} (${stateName(sur, 'en')}), ${stage} ${days} past its deadline`,
    intro,
    rows,
    [
      ...(input.olderNotListed
        ? [
            `Older notifications of this stage are not listed: GET /reviews/${oneLine(input.reviewId)}/notifications has them all.`,
          ]
        : []),
      'You may wish to contact the focal points concerned, extend the deadline or pause the review through the API.',
    ],
    table,
  );
}

function noFocalPointMail(input: Extract<SecretariatMailInput, { kind: 'no_focal_point' }>): RenderedMail {
  const mention = stateMentions('en');
  const ref = oneLine(input.reference);
  const id = oneLine(input.reviewId);
  const stage = oneLine(stageName(input.words, input.stage, 'en'));
  const state = oneLine(input.state);
  const intro = [
    `${mention(state)} has no focal point registered in review ${ref}, so the ${words(input.notificationKind)} for the ${stage} stage could not be sent to it.`,
  ];
  const rows: [string, string][] = [
    ['Review', ref],
    ['API id', id],
    ['State under review', mention(oneLine(input.stateUnderReview))],
    ['Cluster', String(input.cluster)],
    ['Stage', stage],
    ['Participant without a focal point', mention(state)],
    ['Notification', words(input.notificationKind)],
    ['Deadline', englishDeadline(input.deadline, input.timeZone)],
  ];
  return secretariatDoc(
    `No focal point for ${stateName(state, 'en')} (${state}): ${ref}, ${stage}`,
    intro,
    rows,
    [
      `Please register a focal point for ${mention(state)} (PUT /reviews/${id}/focal-points/${state}); later notifications will go to them.`,
    ],
  );
}

function undeliverableMail(input: Extract<SecretariatMailInput, { kind: 'undeliverable' }>): RenderedMail {
  const mention = stateMentions('en');
  const state = input.state === undefined ? undefined : oneLine(input.state);
  const ref = input.reference === undefined ? undefined : oneLine(input.reference);
  const id = input.reviewId === undefined ? undefined : oneLine(input.reviewId);
  const where = [
    state === undefined ? undefined : stateName(state, 'en'),
    ref ?? (id === undefined ? undefined : `review ${id}`),
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const hint = maskAddress(oneLine(input.addressHint));
  const what =
    input.reason === 'bounce'
      ? 'a permanent bounce'
      : 'a complaint (the recipient marked a message as unwanted)';
  const rows: [string, string][] = [
    ['Review', ref ?? 'unknown'],
    ...(id === undefined ? [] : [['API id', id] as [string, string]]),
    ['State', state === undefined ? 'unknown' : mention(state)],
    ['Reason', input.reason],
    ['Address', hint],
  ];
  return secretariatDoc(
    `Undeliverable focal point address (${input.reason})${where ? `: ${where}` : ''}`,
    [
      `Amazon SES reported ${what} for the address ${hint}. The address is now marked undeliverable and later mail to it is skipped.`,
    ],
    rows,
    [
      `Please confirm the address with ${state === undefined ? 'the State concerned' : mention(state)} and register it again once corrected.`,
    ],
  );
}

function allSubmissionsMail(
  input: Extract<SecretariatMailInput, { kind: 'all_submissions_received' }>,
): RenderedMail {
  const mention = stateMentions('en');
  const ref = oneLine(input.reference);
  const id = oneLine(input.reviewId);
  const stage = oneLine(stageName(input.words, input.stage, 'en'));
  const next = input.nextStages.map((n) => oneLine(stageName(input.words, n, 'en')));
  const rows: [string, string][] = [
    ['Review', ref],
    ['API id', id],
    ['State under review', mention(oneLine(input.stateUnderReview))],
    ['Cluster', String(input.cluster)],
    ['Stage', stage],
    ['Deadline', englishDeadline(input.deadline, input.timeZone)],
  ];
  const table: MailDocument['table'] = {
    caption: 'Submissions received',
    head: ['State', 'Received'],
    rows: input.submissions.map((s) => [
      mention(oneLine(s.state)),
      formatLocalDate(s.receivedAt, 'en', input.timeZone) ?? 'unknown',
    ]),
    empty: 'No submission is recorded.',
  };
  const move =
    next.length === 0
      ? `You may now move the review on (POST /reviews/${id}/transitions).`
      : `You may now move the review on to ${orList(next)} (POST /reviews/${id}/transitions).`;
  return secretariatDoc(
    `All submissions received: ${ref}, ${stage}`,
    [
      `Every State that must act in the ${stage} stage of review ${ref} has made its submission; no further reminders or escalations go out for this stage.`,
    ],
    rows,
    [move],
    table,
  );
}

/**
 * Escalations, missing focal points, undeliverable addresses and "all submissions received", to
 * the Secretariat, in English.
 */
export function renderSecretariatMail(input: SecretariatMailInput): RenderedMail {
  switch (input.kind) {
    case 'escalation':
      return escalationMail(input);
    case 'no_focal_point':
      return noFocalPointMail(input);
    case 'undeliverable':
      return undeliverableMail(input);
    case 'all_submissions_received':
      return allSubmissionsMail(input);
  }
}
