import type { CalendarDate, Instant } from '#shared/domain/calendar.ts';
import { formatDate, formatDateTime, formatDeadline } from './format-deadline.ts';
import { escapeHtml } from './html.ts';
import { oneLine } from './one-line.ts';
import { type StateMentions, stateMentions } from './state-names.ts';

/**
 * The Secretariat's weekly digest (DESIGN §2, "Secretariat digest and timeliness"): one
 * English mail per officer listing what needs them in their open reviews, section by section.
 * The digest's shape is defined here, as every template defines its input; the use case
 * (`secretariat-digest.ts`) fills it and `GET /reports/digest` returns it as JSON. Dates are
 * local dates in the time zone of record, never raw instants.
 */

/** How a digest names a review: its reference, and where the API serves it (there is no console yet). */
export interface DigestReviewRef {
  reviewId: string;
  reference: string;
  /** `/reviews/<id>`: the review in the API. */
  link: string;
  stage: string;
  /** The stage's English name, from the review's process. */
  stageName: string;
}

/** A stage past its deadline while States still owe their submissions. */
export interface DigestOverdue extends DigestReviewRef {
  deadline: CalendarDate;
  daysOverdue: number;
  /** The responsible States that have not submitted. */
  owing: string[];
}

/** A stage whose deadline falls within the next 14 days, States still owing. */
export interface DigestDueSoon extends DigestReviewRef {
  deadline: CalendarDate;
  /** Whole days from today to the deadline (0: due today). */
  daysLeft: number;
  owing: string[];
}

/** A stage in which every responsible State has submitted: the Secretariat's move. */
export interface DigestAwaitingMove extends DigestReviewRef {
  deadline: CalendarDate | null;
  submissions: number;
  /** The local date the last submission was received. */
  lastReceivedOn: CalendarDate | null;
  /** The stages the review may move to next. */
  nextStages: { stage: string; stageName: string }[];
}

/** A paused review: since when (local date) and why. */
export interface DigestPaused extends DigestReviewRef {
  since: CalendarDate;
  days: number;
  reason: string;
}

/** A focal point or expert whose address SES reported undeliverable. */
export interface DigestUndeliverable extends DigestReviewRef {
  state: string;
  role: 'focal_point' | 'expert';
  name: string;
  /** The address masked (`e***@example.gr`): enough to recognise, not to harvest. */
  address: string;
}

/** Participants of a review with no focal point registered. */
export interface DigestWithoutFocalPoint extends DigestReviewRef {
  states: string[];
}

/** A review nothing has changed in for 90 days or more. */
export interface DigestInactive extends DigestReviewRef {
  /** The local date of its last change. */
  lastActivityOn: CalendarDate;
  days: number;
}

/** One officer's digest: every section, empty ones included. */
export interface OfficerDigest {
  /** The officer's address (lower case): a review's `secretariatEmail`, or the deployment's. */
  officer: string;
  /** The instant the digest describes (the schedule's time, or the request's). */
  asOf: Instant;
  /** `asOf`'s local date in the time zone of record. */
  today: CalendarDate;
  /** The ISO week of `today` (`2027-W03`): a digest goes out once per officer and week. */
  week: string;
  timeZone: string;
  /** How many of the officer's reviews are open (not completed). */
  openReviews: number;
  /** True when every section is empty: no mail goes out. */
  nothingToReport: boolean;
  overdue: DigestOverdue[];
  dueSoon: DigestDueSoon[];
  awaitingMove: DigestAwaitingMove[];
  paused: DigestPaused[];
  undeliverable: DigestUndeliverable[];
  withoutFocalPoint: DigestWithoutFocalPoint[];
  inactive: DigestInactive[];
}

/** The section keys of a digest, in the order the mail shows them. */
export const DIGEST_SECTIONS = [
  'overdue',
  'dueSoon',
  'awaitingMove',
  'paused',
  'undeliverable',
  'withoutFocalPoint',
  'inactive',
] as const;
export type DigestSection = (typeof DIGEST_SECTIONS)[number];

/** Each section's heading, and how the subject counts it. */
export const DIGEST_HEADINGS: Record<DigestSection, { heading: string; count: (n: number) => string }> = {
  overdue: { heading: 'Overdue', count: (n) => `${n} overdue` },
  dueSoon: { heading: 'Due within 14 days', count: (n) => `${n} due within 14 days` },
  awaitingMove: {
    heading: 'All submissions in, awaiting your move',
    count: (n) => `${n} awaiting your move`,
  },
  paused: { heading: 'Paused', count: (n) => `${n} paused` },
  undeliverable: {
    heading: 'Addresses undeliverable',
    count: (n) => `${n} undeliverable ${n === 1 ? 'address' : 'addresses'}`,
  },
  withoutFocalPoint: {
    heading: 'Participants without a focal point',
    count: (n) => `${n} without a focal point`,
  },
  inactive: { heading: 'No activity for 90 days', count: (n) => `${n} inactive` },
};

const SIGN_OFF = ['untoc-review-tracker', 'on behalf of the Secretariat of the Review Mechanism'];
const FOOTER =
  'Sent to the UNODC Secretariat only. The Mechanism is non-ranking and non-punitive: please do not forward information on late States outside the Secretariat.';

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

function states(mention: StateMentions, codes: string[]): string {
  return codes.length === 0 ? 'none' : codes.map((c) => mention(oneLine(c))).join(', ');
}

/** What the digest says about one entry of a section, after the review's reference. */
function detailOf(section: DigestSection, entry: DigestReviewRef, d: OfficerDigest, mention: StateMentions) {
  const stage = oneLine(entry.stageName);
  const deadline = (date: CalendarDate) => formatDeadline(date, 'en', d.timeZone);
  switch (section) {
    case 'overdue': {
      const e = entry as DigestOverdue;
      return `${stage}, ${days(e.daysOverdue)} overdue (deadline ${deadline(e.deadline)}); still owing: ${states(mention, e.owing)}`;
    }
    case 'dueSoon': {
      const e = entry as DigestDueSoon;
      const when = e.daysLeft === 0 ? 'due today' : `due in ${days(e.daysLeft)}`;
      return `${stage}, ${when} (deadline ${deadline(e.deadline)}); still owing: ${states(mention, e.owing)}`;
    }
    case 'awaitingMove': {
      const e = entry as DigestAwaitingMove;
      const last = e.lastReceivedOn ? `, the last on ${formatDate(e.lastReceivedOn, 'en')}` : '';
      const next =
        e.nextStages.length === 0
          ? ''
          : `; it may move to ${e.nextStages.map((n) => oneLine(n.stageName)).join(' or ')}`;
      const due = e.deadline ? ` (deadline ${deadline(e.deadline)})` : '';
      return `${stage}${due}: ${e.submissions === 1 ? 'the submission is' : `all ${e.submissions} submissions are`} in${last}${next}`;
    }
    case 'paused': {
      const e = entry as DigestPaused;
      return `${stage}, paused since ${formatDate(e.since, 'en')} (${days(e.days)}): ${oneLine(e.reason)}`;
    }
    case 'undeliverable': {
      const e = entry as DigestUndeliverable;
      const role = e.role === 'expert' ? 'expert' : 'focal point';
      return `${mention(oneLine(e.state))}, ${role} ${oneLine(e.name)} (${oneLine(e.address)})`;
    }
    case 'withoutFocalPoint': {
      const e = entry as DigestWithoutFocalPoint;
      return `${stage}; no focal point for ${states(mention, e.states)}`;
    }
    case 'inactive': {
      const e = entry as DigestInactive;
      return `${stage}, last change on ${formatDate(e.lastActivityOn, 'en')} (${days(e.days)} ago)`;
    }
  }
}

/** The non-empty sections, in order, each entry with its line of detail (States named once with their code). */
function sectionsOf(digest: OfficerDigest) {
  const mention = stateMentions('en');
  return DIGEST_SECTIONS.filter((section) => digest[section].length > 0).map((section) => ({
    section,
    heading: `${DIGEST_HEADINGS[section].heading} (${digest[section].length})`,
    entries: (digest[section] as DigestReviewRef[]).map((entry) => ({
      reference: oneLine(entry.reference),
      link: oneLine(entry.link),
      detail: detailOf(section, entry, digest, mention),
    })),
  }));
}

/**
 * `Weekly digest, 11 January 2027: 2 overdue, 1 due within 14 days`: the date, and a count for
 * each section that has something, so the inbox shows what needs attention.
 */
export function digestSubject(digest: OfficerDigest): string {
  const counts = DIGEST_SECTIONS.filter((s) => digest[s].length > 0).map((s) =>
    DIGEST_HEADINGS[s].count(digest[s].length),
  );
  const date = formatDate(digest.today, 'en');
  return counts.length === 0
    ? `Weekly digest, ${date}: nothing to report`
    : `Weekly digest, ${date}: ${counts.join(', ')}`;
}

/** A rendered digest mail. */
export interface DigestMail {
  subject: string;
  text: string;
  html: string;
}

const CELL = 'padding:4px 12px 4px 0;vertical-align:top;text-align:left';

/**
 * The digest as mail: text and HTML with the same content. Each entry starts with the review's
 * reference and its API path (`GRC-C1-2027 (/reviews/<id>)`), then what is the matter with it.
 * Only the sections with something in them are shown.
 */
export function renderDigestMail(digest: OfficerDigest): DigestMail {
  const subject = digestSubject(digest);
  const asOf = formatDateTime(digest.asOf, 'en', digest.timeZone) ?? formatDate(digest.today, 'en');
  const open = digest.openReviews === 1 ? '1 open review' : `${digest.openReviews} open reviews`;
  const intro = [
    'Dear colleague,',
    `This is your weekly digest of the reviews you follow as Secretariat officer (${open}), as of ${asOf}. Each review is named by its reference, with its path in the API.`,
  ];
  const outro =
    'Move a review on with POST /reviews/{id}/transitions, change a deadline with POST /reviews/{id}/deadline, or register a focal point with PUT /reviews/{id}/focal-points/{state}. GET /reports/digest shows this digest as it stands.';
  const sections = sectionsOf(digest);

  const text = [
    ...intro,
    ...sections.map((s) =>
      [s.heading, ...s.entries.map((e) => `- ${e.reference} (${e.link}): ${e.detail}`)].join('\n'),
    ),
    outro,
    SIGN_OFF.join('\n'),
    `--\n${FOOTER}`,
  ].join('\n\n');

  const p = (value: string) => `<p style="margin:0 0 16px">${escapeHtml(value)}</p>`;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en" dir="ltr">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f5f5f5">',
    '<div style="max-width:720px;margin:0 auto;padding:24px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5">',
    ...intro.map(p),
    ...sections.map((s) =>
      [
        `<h2 style="font-size:17px;margin:24px 0 8px">${escapeHtml(s.heading)}</h2>`,
        '<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">',
        ...s.entries.map(
          (e) =>
            `<tr><th scope="row" style="${CELL};white-space:nowrap">${escapeHtml(e.reference)}<br><code style="font-weight:normal;font-size:12px;color:#555555">${escapeHtml(e.link)}</code></th><td style="${CELL}">${escapeHtml(e.detail)}</td></tr>`,
        ),
        '</table>',
      ].join('\n'),
    ),
    p(outro),
    `<p style="margin:0 0 16px">${SIGN_OFF.map(escapeHtml).join('<br>')}</p>`,
    `<p style="margin:24px 0 0;font-size:12px;color:#666666">${escapeHtml(FOOTER)}</p>`,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');

  return { subject, text: `${text}\n`, html };
}
