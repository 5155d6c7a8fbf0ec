import { createHash } from 'node:crypto';
import { addDays, type CalendarDate } from '#shared/domain/calendar.ts';
import type { ProcessText } from '#shared/domain/process-definition.ts';
import { type Language, MAX_REASON_LENGTH } from '#shared/domain/review.ts';
import { formatDate, formatDateTime, formatDeadline } from '#shared/email/format-deadline.ts';
import { escapeHtml } from '#shared/email/html.ts';
import { oneLine } from '#shared/email/one-line.ts';
import { stateMentions } from '#shared/email/state-names.ts';
import { stageName } from '#shared/email/templates.ts';
import { RESPOND_TEXT, type RespondStrings } from './respond-text.ts';
import type {
  RenderedRespondPage,
  RespondFieldError,
  RespondFormValues,
  RespondNotice,
  RespondPage,
  RespondRefusal,
  RespondView,
} from './respond-view.ts';

/**
 * The focal-point page (DESIGN §10) as one HTML document: server-rendered, no script, no external
 * resource, one `<style>` element that the CSP allows by its hash and nothing else. Every piece of
 * text goes through `escapeHtml`; attributes are double-quoted. The CSS uses logical properties
 * only (`margin-inline`, `border-inline-start`), so the Arabic page lays out right to left.
 */

const STYLE = [
  ':root{color-scheme:light}',
  '*,*::before,*::after{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  'body{margin:0;background:#f4f5f7;color:#1a1a1a;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans SC","PingFang SC","Microsoft YaHei",Tahoma,Arial,sans-serif;font-size:1.0625rem;line-height:1.6;text-align:start}',
  'body:lang(ar){font-size:1.1875rem}',
  'main,footer{max-width:42rem;margin-inline:auto;padding-inline:1rem}',
  'main{background:#fff;padding-block:1.5rem 2rem;margin-block-start:1rem}',
  'footer{padding-block:1rem 2rem;color:#4a4a4a;font-size:.9375rem}',
  '.mechanism{margin-block:0 .25rem;color:#4a4a4a;font-size:.9375rem}',
  'h1{font-size:1.625rem;line-height:1.3;margin-block:0 1rem}',
  'h2{font-size:1.25rem;line-height:1.35;margin-block:2rem .5rem}',
  'p{margin-block:0 1rem}',
  'dl{margin-block:0 1.5rem}',
  'dt{font-weight:700}',
  'dd{margin-inline-start:0;margin-block-end:.75rem}',
  '.typed{white-space:pre-line;overflow-wrap:anywhere}',
  '.notice,.problem{padding-block:.75rem;padding-inline:1rem;margin-block-end:1.5rem;border-inline-start:.375rem solid}',
  '.notice{border-color:#1b6e3c;background:#eaf5ee}',
  '.problem{border-color:#a4161a;background:#fdecec}',
  '.problem h2{margin-block-start:0}',
  '.problem ul{margin-block:0;padding-inline-start:1.25rem}',
  'a{color:#0b4f9c;overflow-wrap:anywhere}',
  'a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}',
  'section{border-block-start:1px solid #d0d4d9;margin-block-start:2rem}',
  'label{display:block;font-weight:700;margin-block:1rem .25rem}',
  '.hint{color:#4a4a4a;margin-block:0 .5rem}',
  '.error{color:#a4161a;font-weight:700;margin-block:0 .5rem}',
  'input[type=date],textarea{display:block;width:100%;font:inherit;padding-block:.5rem;padding-inline:.625rem;border:2px solid #4a4a4a;border-radius:.25rem;background:#fff;color:#1a1a1a}',
  'input[type=date]{max-width:14rem;min-height:2.75rem}',
  'textarea{min-height:8rem;resize:vertical}',
  '[aria-invalid=true]{border-color:#a4161a}',
  'button{font:inherit;font-weight:700;min-height:2.75rem;min-width:2.75rem;padding-block:.625rem;padding-inline:1.25rem;margin-block-start:1rem;border:2px solid #0b4f9c;border-radius:.25rem;background:#0b4f9c;color:#fff;cursor:pointer}',
  'button:hover{background:#083b75}',
  // The footer's text lines up with the card's at every width.
  '@media (min-width:40rem){main,footer{padding-inline:2rem}}',
].join('');

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/** The same headers on every page: the token sits in the URL, so nothing may leak, cache or frame it. */
const HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
};

const REFUSAL_STATUS: Record<RespondRefusal, number> = {
  altered: 403,
  replaced: 403,
  forbidden_origin: 403,
  expired: 410,
  stage_over: 410,
  rate_limited: 429,
  unavailable: 503,
  bad_request: 400,
};

/** The extension form's `maxlength`, as the use case checks it (`too_long`). */
const REASON_MAX_LENGTH = MAX_REASON_LENGTH;

/**
 * Renders the page or a refusal: the status (200, 400 with field errors, 403, 410, 429, 503), the
 * complete document and its headers (CSP by the style's hash, no caching, no referrer, no
 * framing, `retry-after` when known). Pure: dates come in the view.
 */
export function renderRespondPage(page: RespondPage): RenderedRespondPage {
  if (page.kind === 'refused') return refusalPage(page.refusal, page.language, page.retryAfterSeconds);
  const errors = page.errors ?? [];
  return {
    statusCode: errors.length > 0 ? 400 : 200,
    html: viewPage(page.view, page.notice, errors, page.values ?? {}),
    headers: { ...HEADERS },
  };
}

function refusalPage(
  refusal: RespondRefusal,
  language: Language,
  retryAfterSeconds: number | undefined,
): RenderedRespondPage {
  const s = RESPOND_TEXT[language];
  const { heading, text } = s.refusals[refusal];
  const retry = seconds(retryAfterSeconds);
  const waits = refusal === 'rate_limited' || refusal === 'unavailable';
  const paragraphs = [...text];
  if (waits && retry !== undefined) paragraphs.push(s.retryIn(Math.max(1, Math.ceil(retry / 60))));
  const headers: Record<string, string> = { ...HEADERS };
  if (waits && retry !== undefined) headers['retry-after'] = String(retry);
  const body = [`<h1>${escapeHtml(heading)}</h1>`, ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`)];
  return { statusCode: REFUSAL_STATUS[refusal], html: documentOf(language, heading, body, []), headers };
}

/** Whole seconds to wait, or undefined when absent or not a usable number. */
function seconds(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
}

function documentOf(language: Language, title: string, main: string[], footer: string[]): string {
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(language)}" dir="${dir}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...main,
    '</main>',
    ...(footer.length > 0 ? ['<footer>', ...footer, '</footer>'] : []),
    '</body>',
    '</html>',
  ].join('\n');
}

function viewPage(
  view: RespondView,
  notice: RespondNotice | undefined,
  errors: RespondFieldError[],
  values: RespondFormValues,
): string {
  const { language } = view;
  const s = RESPOND_TEXT[language];
  const ref = oneLine(view.reference);
  // In Arabic the Latin reference is isolated, so its hyphens and digits keep their order.
  const heading = s.heading(language === 'ar' ? `\u2068${ref}\u2069` : ref);
  const title = errors.length > 0 ? s.errorTitle(heading) : heading;
  const mechanism = oneLine(view.words[language].name);

  const main: string[] = [];
  if (mechanism) main.push(`<p class="mechanism">${escapeHtml(mechanism)}</p>`);
  main.push(`<h1>${escapeHtml(heading)}</h1>`);
  if (notice) main.push(`<div class="notice" role="status"><p>${escapeHtml(s.notices[notice])}</p></div>`);
  if (errors.length > 0) main.push(errorSummary(s, errors));
  main.push(`<p>${escapeHtml(s.intro)}</p>`);
  main.push(detailsOf(view, s));
  if (view.recipientRole === 'expert') main.push(`<p>${escapeHtml(s.expertNote)}</p>`);
  if (view.openRequest) main.push(openRequestOf(view, s));
  if (view.lastDecision) main.push(lastDecisionOf(view, s));

  const forms: string[] = [];
  if (view.can.acknowledge) forms.push(acknowledgeForm(view, s));
  if (view.can.report) forms.push(reportForm(view, s));
  if (view.can.requestExtension) forms.push(extensionForm(view, s, errors, values));
  main.push(...(forms.length > 0 ? forms : [`<p>${escapeHtml(s.nothingToDo)}</p>`]));

  const contact = oneLine(view.contact);
  const footer = [
    ...(contact ? [`<p>${escapeHtml(s.contact)} ${contactOf(contact)}</p>`] : []),
    `<p>${escapeHtml(s.privacy)}</p>`,
  ];
  return documentOf(language, title, main, footer);
}

/** A `dt`/`dd` pair; `typed` marks text someone typed (own direction, line breaks kept). */
function row(label: string, value: string, typed = false): string {
  const dd = typed ? `<dd class="typed" dir="auto">` : '<dd>';
  return `<dt>${escapeHtml(label)}</dt>${dd}${escapeHtml(value)}</dd>`;
}

function detailsOf(view: RespondView, s: RespondStrings): string {
  const { language, timeZone } = view;
  const mention = stateMentions(language);
  const stage = oneLine(stageName(view.words, view.stage, language));
  const outcome = capitalised(oneLine(stageOutcome(view.words, view.stage, language)), language);
  const deadline = validDate(view.deadline);
  const rows = [
    row(s.labels.review, oneLine(view.reference)),
    row(s.labels.stateUnderReview, mention(oneLine(view.stateUnderReview))),
    row(s.labels.yourState, mention(oneLine(view.recipientState))),
    row(s.labels.stage, stage),
    ...(outcome ? [row(s.labels.outcome, outcome)] : []),
    row(s.labels.deadline, deadline === null ? s.noDeadline : formatDeadline(deadline, language, timeZone)),
    row(s.labels.submission, submissionOf(view, s)),
    row(
      s.labels.acknowledgement,
      view.acknowledgedAt
        ? s.acknowledgement.done(instant(view, view.acknowledgedAt))
        : s.acknowledgement.notYet,
    ),
  ];
  return `<dl>${rows.join('')}</dl>`;
}

function submissionOf(view: RespondView, s: RespondStrings): string {
  const { submission } = view;
  if (submission === null) return s.submission.none;
  switch (submission.status) {
    case 'owing':
      return s.submission.owing;
    case 'reported':
      return s.submission.reported(instant(view, submission.at), date(submission.holdUntil, view.language));
    case 'received':
      return s.submission.received(instant(view, submission.at));
  }
}

function openRequestOf(view: RespondView, s: RespondStrings): string {
  const request = view.openRequest;
  if (!request) return '';
  const rows = [
    row(s.labels.requestedAt, instant(view, request.requestedAt)),
    row(s.labels.requestedDeadline, date(request.requestedDeadline, view.language)),
    row(s.labels.reason, typedText(request.reason), true),
  ];
  return [
    `<h2>${escapeHtml(s.openRequest.heading)}</h2>`,
    `<dl>${rows.join('')}</dl>`,
    `<p>${escapeHtml(s.openRequest.waiting)}</p>`,
  ].join('\n');
}

function lastDecisionOf(view: RespondView, s: RespondStrings): string {
  const decision = view.lastDecision;
  if (!decision) return '';
  const approved = decision.outcome === 'approved';
  const newDeadline = validDate(decision.newDeadline);
  const rows = [
    row(s.labels.decidedAt, instant(view, decision.decidedAt)),
    row(s.labels.requestedDeadline, date(decision.requestedDeadline, view.language)),
    ...(approved && newDeadline !== null
      ? [row(s.labels.newDeadline, formatDeadline(newDeadline, view.language, view.timeZone))]
      : []),
    ...(!approved && typedText(decision.reason)
      ? [row(s.labels.decisionReason, typedText(decision.reason), true)]
      : []),
  ];
  return [
    `<h2>${escapeHtml(s.decision.heading)}</h2>`,
    `<p>${escapeHtml(approved ? s.decision.approved : s.decision.declined)}</p>`,
    `<dl>${rows.join('')}</dl>`,
  ].join('\n');
}

/** Field errors in the form's order (the date, then the reason), as the reader meets the fields. */
function inFormOrder(errors: RespondFieldError[]): RespondFieldError[] {
  return [...errors].sort((a, b) => Number(a.field === 'reason') - Number(b.field === 'reason'));
}

function errorSummary(s: RespondStrings, errors: RespondFieldError[]): string {
  const items = inFormOrder(errors).map(
    (e) => `<li><a href="#${e.field}">${escapeHtml(errorText(s, e))}</a></li>`,
  );
  return `<div class="problem" role="alert"><h2>${escapeHtml(s.errorSummary)}</h2><ul>${items.join('')}</ul></div>`;
}

function errorText(s: RespondStrings, error: RespondFieldError): string {
  return error.field === 'deadline'
    ? s.fieldErrors.deadline[error.problem]
    : s.fieldErrors.reason[error.problem];
}

/** The opening of every form: where it goes, and the fields the POST checks first. */
function formStart(view: RespondView, action: 'acknowledge' | 'report' | 'extension'): string {
  return [
    `<form method="post" action="${escapeHtml(view.action)}">`,
    `<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">`,
    `<input type="hidden" name="action" value="${action}">`,
  ].join('\n');
}

function section(id: string, heading: string, text: string, form: string[]): string {
  return [
    `<section aria-labelledby="${id}-heading">`,
    `<h2 id="${id}-heading">${escapeHtml(heading)}</h2>`,
    `<p>${escapeHtml(text)}</p>`,
    ...form,
    '</section>',
  ].join('\n');
}

function acknowledgeForm(view: RespondView, s: RespondStrings): string {
  const { heading, text, button } = s.acknowledge;
  return section('acknowledge', heading, text, [
    formStart(view, 'acknowledge'),
    `<button type="submit">${escapeHtml(button)}</button>`,
    '</form>',
  ]);
}

function reportForm(view: RespondView, s: RespondStrings): string {
  const { heading, text, button } = s.report;
  return section('report', heading, text, [
    formStart(view, 'report'),
    `<button type="submit">${escapeHtml(button)}</button>`,
    '</form>',
  ]);
}

/**
 * The earliest date the extension form accepts: the day after the deadline, or today when that is
 * later (a deadline already passed); today when the stage has no deadline.
 */
export function earliestExtensionDate(view: Pick<RespondView, 'deadline' | 'today'>): CalendarDate {
  const deadline = validDate(view.deadline);
  const after = deadline === null ? view.today : addDays(deadline, 1);
  // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as strings; Math.max would make them NaN.
  return after > view.today ? after : view.today;
}

function extensionForm(
  view: RespondView,
  s: RespondStrings,
  errors: RespondFieldError[],
  values: RespondFormValues,
): string {
  const t = s.extension;
  const min = earliestExtensionDate(view);
  const field = (name: 'deadline' | 'reason') => {
    const messages = errors.filter((e) => e.field === name).map((e) => errorText(s, e));
    const describedBy = messages.length > 0 ? `${name}-hint ${name}-error` : `${name}-hint`;
    return {
      error:
        messages.length > 0
          ? `<p class="error" id="${name}-error">${escapeHtml(messages.join(s.sentenceSeparator))}</p>`
          : '',
      attributes: `id="${name}" name="${name}" aria-describedby="${describedBy}"${messages.length > 0 ? ' aria-invalid="true"' : ''}`,
    };
  };
  const deadline = field('deadline');
  const reason = field('reason');
  const deadlineValue = values.deadline === undefined ? '' : ` value="${escapeHtml(values.deadline)}"`;
  // The parser drops one newline right after <textarea>: the one written here, never the reason's own.
  const reasonValue = values.reason === undefined ? '' : escapeHtml(values.reason);
  return section(
    'extension',
    t.heading,
    t.text,
    [
      formStart(view, 'extension'),
      `<label for="deadline">${escapeHtml(t.deadlineLabel)}</label>`,
      `<p class="hint" id="deadline-hint">${escapeHtml(t.deadlineHint(date(min, view.language)))}</p>`,
      deadline.error,
      `<input type="date" ${deadline.attributes} required min="${escapeHtml(min)}"${deadlineValue}>`,
      `<label for="reason">${escapeHtml(t.reasonLabel)}</label>`,
      `<p class="hint" id="reason-hint">${escapeHtml(t.reasonHint)}</p>`,
      reason.error,
      `<textarea ${reason.attributes} required maxlength="${REASON_MAX_LENGTH}" rows="6" dir="auto">\n${reasonValue}</textarea>`,
      `<button type="submit">${escapeHtml(t.button)}</button>`,
      '</form>',
    ].filter((line) => line !== ''),
  );
}

/** The Secretariat's address as a mailto link when it is one, else as text. */
function contactOf(text: string): string {
  if (!/^[^\s@<>()[\]"',;:\\]+@[^\s@<>()[\]"',;:\\?#&%]+$/.test(text)) return escapeHtml(text);
  return `<a href="mailto:${escapeHtml(text)}">${escapeHtml(text)}</a>`;
}

/** The outcome stands alone as a value: "Written feedback sent", not "written feedback sent". */
function capitalised(text: string, language: Language): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const head = String.fromCodePoint(first);
  return `${head.toLocaleUpperCase(language)}${text.slice(head.length)}`;
}

/** What the process's words say closes the stage; empty when they do not say. */
function stageOutcome(words: ProcessText, stage: string, language: Language): string {
  const closes = words[language].closes;
  return Object.hasOwn(closes, stage) ? (closes[stage] ?? '') : '';
}

/** A calendar date the formatters accept, or null: a malformed one is shown as none, not thrown. */
function validDate(value: CalendarDate | null | undefined): CalendarDate | null {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

/** A date alone in the language; a malformed one as it is (escaped by the caller). */
function date(value: CalendarDate, language: Language): string {
  return validDate(value) === null ? oneLine(value) : formatDate(value, language);
}

/** An instant as local date and time in the zone of record, named; a malformed one as it is. */
function instant(view: RespondView, value: string): string {
  return formatDateTime(value, view.language, view.timeZone) ?? oneLine(value);
}

/**
 * Text someone typed (a reason), several lines allowed: other control characters become a space
 * and bidi overrides go, so it cannot reorder the page around it.
 */
function typedText(value: string): string {
  return value
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/[^\P{Cc}\n]/gu, ' ')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
