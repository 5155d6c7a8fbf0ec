import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNTOC_TEXT } from '#shared/domain/processes/untoc.text.ts';
import type { Language } from '#shared/domain/review.ts';
import { formatDate, formatDateTime, formatDeadline } from '#shared/email/format-deadline.ts';
import { escapeHtml } from '#shared/email/html.ts';
import { earliestExtensionDate, renderRespondPage } from '#shared/respond/respond-page.ts';
import { RESPOND_TEXT } from '#shared/respond/respond-text.ts';
import type {
  RenderedRespondPage,
  RespondFieldError,
  RespondNotice,
  RespondPage,
  RespondRefusal,
  RespondView,
} from '#shared/respond/respond-view.ts';

const LANGUAGES: Language[] = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
const NOTICES: RespondNotice[] = [
  'acknowledged',
  'already_acknowledged',
  'reported',
  'already_reported',
  'extension_requested',
  'extension_already_open',
];
const STATUS: Record<RespondRefusal, number> = {
  altered: 403,
  replaced: 403,
  forbidden_origin: 403,
  expired: 410,
  stage_over: 410,
  rate_limited: 429,
  unavailable: 503,
  bad_request: 400,
};
const REFUSALS = Object.keys(STATUS) as RespondRefusal[];
const FIELD_ERRORS: RespondFieldError[] = [
  { field: 'deadline', problem: 'missing' },
  { field: 'deadline', problem: 'invalid' },
  { field: 'deadline', problem: 'not_after_deadline' },
  { field: 'deadline', problem: 'too_far' },
  { field: 'reason', problem: 'missing' },
  { field: 'reason', problem: 'too_long' },
];
const LEFTOVERS = /undefined|null|NaN|\[object|\{\{|\}\}/;
/** An element that should say something and says nothing. */
const EMPTY_ELEMENT = /<(h1|h2|p|dt|dd|li|a|button|label|title)(\s[^>]*)?>\s*<\/\1>/;

/** Austria's focal point on Greece's desk review: Austria owes, nothing asked yet. */
function aView(overrides: Partial<RespondView> = {}): RespondView {
  return {
    language: 'en',
    reference: 'GRC-C2-2026',
    stateUnderReview: 'GRC',
    recipientState: 'AUT',
    recipientRole: 'focal_point',
    stage: 'desk_review',
    words: UNTOC_TEXT,
    deadline: '2027-05-31',
    timeZone: 'Europe/Vienna',
    submission: { status: 'owing' },
    can: { acknowledge: true, report: true, requestExtension: true },
    action: '/respond/tok_abc-123',
    csrf: 'csrf-0123456789',
    contact: 'jane.doe@un.example',
    today: '2027-05-10',
    ...overrides,
  };
}

function aPage(view: Partial<RespondView> = {}, extra: Partial<Extract<RespondPage, { kind: 'page' }>> = {}) {
  return renderRespondPage({ kind: 'page', view: aView(view), ...extra });
}

function refused(refusal: RespondRefusal, language: Language = 'en', retryAfterSeconds?: number) {
  return renderRespondPage({ kind: 'refused', refusal, language, retryAfterSeconds });
}

function styleOf(html: string): string {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
  expect(styles).toHaveLength(1);
  return styles[0]?.[1] ?? '';
}

/** The document without its style sheet, which holds CSS rather than markup or text. */
function markup(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
}

const TAGS =
  /^<\/?(!DOCTYPE html|html|head|meta|title|style|body|main|footer|p|h1|h2|div|ul|li|a|dl|dt|dd|section|form|input|label|button|textarea)((\s[a-z-]+(="[^"<>]*")?)*)>$/;

/**
 * Parse-free structure check: every `<…>` is one of the page's own tags with double-quoted
 * attributes, and the text between them holds no `<`, `>` or `"` (escaped text never does).
 */
function expectOnlyOwnMarkup(html: string): void {
  const parts = markup(html).split(/(<[^>]*>)/);
  const foreign = parts.filter((part, i) => (i % 2 === 1 ? !TAGS.test(part) : /[<>"]/.test(part)));
  expect(foreign).toEqual([]);
}

function visibleText(html: string): string {
  return markup(html)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ');
}

/** WCAG relative luminance contrast of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

function expectComplete(rendered: RenderedRespondPage): void {
  // The style sheet's nested rules end in `}}`: the text and the markup are what must be whole.
  expect(markup(rendered.html)).not.toMatch(LEFTOVERS);
  expect(rendered.html).not.toMatch(EMPTY_ELEMENT);
  expect(rendered.html.match(/<h1>/g)).toHaveLength(1);
  expectOnlyOwnMarkup(rendered.html);
}

describe('renderRespondPage', () => {
  describe('in every language', () => {
    it('has a complete, non-empty string for every entry', () => {
      for (const language of LANGUAGES) {
        const check = (value: unknown, path: string): void => {
          if (path === 'sentenceSeparator') {
            expect(value).toMatch(/^ ?$/);
          } else if (typeof value === 'string') {
            expect(value.trim(), `${language}.${path}`).not.toBe('');
            expect(value, `${language}.${path}`).not.toMatch(LEFTOVERS);
          } else if (typeof value === 'function') {
            const out: unknown =
              path === 'retryIn' ? [1, 2, 3, 11, 101].map((n) => value(n)).join(' ') : value('«A»', '«B»');
            expect(typeof out).toBe('string');
            expect(String(out), `${language}.${path}`).not.toMatch(LEFTOVERS);
            if (path !== 'retryIn') expect(String(out)).toContain('«A»');
          } else if (Array.isArray(value)) {
            expect(value.length, `${language}.${path}`).toBeGreaterThan(0);
            for (const [i, v] of value.entries()) check(v, `${path}[${i}]`);
          } else if (value && typeof value === 'object') {
            for (const [key, v] of Object.entries(value)) check(v, path ? `${path}.${key}` : key);
          }
        };
        check(RESPOND_TEXT[language], '');
      }
    });

    it.each(LANGUAGES.flatMap((language) => NOTICES.map((notice) => ({ language, notice }))))(
      'renders the $notice notice in $language as a status banner above the details',
      ({ language, notice }) => {
        const rendered = aPage({ language }, { notice });

        expectComplete(rendered);
        expect(rendered.statusCode).toBe(200);
        const banner = `<div class="notice" role="status"><p>${escapeHtml(RESPOND_TEXT[language].notices[notice])}</p></div>`;
        expect(rendered.html).toContain(banner);
        expect(rendered.html.indexOf(banner)).toBeLessThan(rendered.html.indexOf('<dl>'));
      },
    );

    it.each(LANGUAGES.flatMap((language) => REFUSALS.map((refusal) => ({ language, refusal }))))(
      'refuses with $refusal in $language: its status, heading and words',
      ({ language, refusal }) => {
        const rendered = refused(refusal, language, 90);
        const s = RESPOND_TEXT[language].refusals[refusal];

        expectComplete(rendered);
        expect(rendered.statusCode).toBe(STATUS[refusal]);
        expect(rendered.html).toContain(`<h1>${escapeHtml(s.heading)}</h1>`);
        expect(rendered.html).toContain(`<title>${escapeHtml(s.heading)}</title>`);
        for (const p of s.text) expect(rendered.html).toContain(`<p>${escapeHtml(p)}</p>`);
        expect(rendered.html).toContain(
          `<html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">`,
        );
        expect(rendered.html).not.toContain('<form');
      },
    );

    it.each(LANGUAGES.flatMap((language) => FIELD_ERRORS.map((error) => ({ language, error }))))(
      'shows the $error.field error "$error.problem" in $language next to its field',
      ({ language, error }) => {
        const rendered = aPage({ language }, { errors: [error] });
        const s = RESPOND_TEXT[language];
        const text =
          error.field === 'deadline'
            ? s.fieldErrors.deadline[error.problem]
            : s.fieldErrors.reason[error.problem];

        expectComplete(rendered);
        expect(rendered.statusCode).toBe(400);
        expect(rendered.html).toContain(`<p class="error" id="${error.field}-error">${escapeHtml(text)}</p>`);
        expect(rendered.html).toMatch(
          new RegExp(
            `id="${error.field}" name="${error.field}" aria-describedby="${error.field}-hint ${error.field}-error" aria-invalid="true"`,
          ),
        );
        expect(rendered.html).toContain(`<li><a href="#${error.field}">${escapeHtml(text)}</a></li>`);
        expect(rendered.html).toContain(
          `<title>${escapeHtml(s.errorTitle(s.heading(language === 'ar' ? '\u2068GRC-C2-2026\u2069' : 'GRC-C2-2026')))}</title>`,
        );
        const other = error.field === 'deadline' ? 'reason' : 'deadline';
        expect(rendered.html).not.toContain(`id="${other}-error"`);
      },
    );
  });

  describe('content', () => {
    it('names the review, both States, the stage, its outcome and the deadline with its basis', () => {
      const { html } = aPage({ language: 'fr' });

      expect(html).toContain('<title>Examen de pays GRC-C2-2026</title>');
      expect(html).toContain('<dt>Examen</dt><dd>GRC-C2-2026</dd>');
      expect(html).toContain('<dt>État partie examiné</dt><dd>Grèce (GRC)</dd>');
      expect(html).toContain('<dt>Votre État</dt><dd>Autriche (AUT)</dd>');
      expect(html).toContain('<dt>Étape en cours</dt><dd>Examen sur dossier</dd>');
      expect(html).toContain(`<dd>${escapeHtml(formatDeadline('2027-05-31', 'fr', 'Europe/Vienna'))}</dd>`);
      expect(html).toContain('<dt>Résultat attendu</dt><dd>Observations écrites transmises</dd>');
    });

    it('says so when the stage has no deadline', () => {
      expect(aPage({ deadline: null }).html).toContain('<dd>No deadline has been set.</dd>');
    });

    it("states the holder's State's part: not responsible, owing, reported, received", () => {
      const at = '2027-05-20T08:00:00.000Z';
      const when = formatDateTime(at, 'en', 'Europe/Vienna') ?? '';
      const html = (submission: RespondView['submission']) => aPage({ submission }).html;

      expect(html(null)).toContain(escapeHtml(RESPOND_TEXT.en.submission.none));
      expect(html({ status: 'owing' })).toContain('<dd>Awaited for this stage.</dd>');
      expect(html({ status: 'reported', at, holdUntil: '2027-06-03' })).toContain(
        escapeHtml(RESPOND_TEXT.en.submission.reported(when, '3 June 2027')),
      );
      expect(html({ status: 'received', at })).toContain(
        escapeHtml(RESPOND_TEXT.en.submission.received(when)),
      );
    });

    it('says whether receipt was acknowledged, and when', () => {
      const at = '2027-05-02T09:00:00.000Z';

      expect(aPage().html).toContain('<dd>Not yet recorded.</dd>');
      expect(aPage({ acknowledgedAt: at }).html).toContain(
        `<dd>Recorded on ${escapeHtml(formatDateTime(at, 'en', 'Europe/Vienna') ?? '')}.</dd>`,
      );
    });

    it('shows an open extension request as waiting for the Secretariat, reason kept line by line', () => {
      const { html } = aPage({
        openRequest: {
          requestedDeadline: '2027-06-30',
          reason: 'National elections\r\nneed time',
          requestedAt: '2027-05-21T10:00:00.000Z',
        },
      });

      expect(html).toContain(`<h2>${escapeHtml(RESPOND_TEXT.en.openRequest.heading)}</h2>`);
      expect(html).toContain('<dd>30 June 2027</dd>');
      expect(html).toContain('<dd class="typed" dir="auto">National elections\nneed time</dd>');
      expect(html).toContain(escapeHtml(RESPOND_TEXT.en.openRequest.waiting));
    });

    it('shows an approved decision with the new deadline, a declined one with its reason', () => {
      const base = {
        requestedDeadline: '2027-06-30',
        reason: 'Agreed in writing',
        decidedAt: '2027-05-22T10:00:00.000Z',
      };
      const approved = aPage({
        lastDecision: { ...base, outcome: 'approved', newDeadline: '2027-06-30' },
      }).html;
      const declined = aPage({
        lastDecision: { ...base, outcome: 'declined', reason: 'The dialogue is scheduled' },
      }).html;

      expect(approved).toContain(RESPOND_TEXT.en.decision.approved);
      expect(approved).toContain(
        `<dt>New deadline</dt><dd>${formatDeadline('2027-06-30', 'en', 'Europe/Vienna')}</dd>`,
      );
      expect(declined).toContain(RESPOND_TEXT.en.decision.declined);
      expect(declined).toContain('<dd class="typed" dir="auto">The dialogue is scheduled</dd>');
      expect(declined).not.toContain('New deadline');
    });

    it('closes with whom to ask (a mailto link) and the privacy line', () => {
      const { html } = aPage();

      expect(html).toContain(
        '<footer>\n<p>For any question, please write to the Secretariat: <a href="mailto:jane.doe@un.example">jane.doe@un.example</a></p>',
      );
      expect(html).toContain(`<p>${escapeHtml(RESPOND_TEXT.en.privacy)}</p>`);
    });

    it('shows a contact that is not a plain address as text, not as a link', () => {
      const { html } = aPage({ contact: 'Jane <jane@un.example>' });

      expect(html).toContain('Jane &lt;jane@un.example&gt;</p>');
      expect(html).not.toContain('mailto:');
    });

    it('names no State but the two in the view', () => {
      const text = visibleText(aPage().html);
      const codes = new Set(text.match(/\b[A-Z]{3}\b/g));

      expect([...codes].sort()).toEqual(['AUT', 'GRC']);
    });
  });

  describe('forms', () => {
    const combos = [true, false].flatMap((acknowledge) =>
      [true, false].flatMap((report) =>
        [true, false].map((requestExtension) => ({ acknowledge, report, requestExtension })),
      ),
    );

    it.each(combos)('offers exactly the forms the view allows: %o', (can) => {
      const { html } = aPage({ can });
      const actions = [...html.matchAll(/<input type="hidden" name="action" value="([a-z]+)">/g)].map(
        (m) => m[1],
      );

      expect(actions).toEqual(
        [
          can.acknowledge && 'acknowledge',
          can.report && 'report',
          can.requestExtension && 'extension',
        ].filter(Boolean),
      );
      expect(html.match(/<form method="post" action="\/respond\/tok_abc-123">/g) ?? []).toHaveLength(
        actions.length,
      );
      expect(html.match(/<input type="hidden" name="csrf" value="csrf-0123456789">/g) ?? []).toHaveLength(
        actions.length,
      );
      expect(html.includes('<input type="date"')).toBe(can.requestExtension);
      if (actions.length === 0) expect(html).toContain(RESPOND_TEXT.en.nothingToDo);
    });

    it('shows an expert only the acknowledgement, saying the focal point answers for the State', () => {
      const { html } = aPage({
        recipientRole: 'expert',
        can: { acknowledge: true, report: false, requestExtension: false },
      });

      expect(html).toContain(escapeHtml(RESPOND_TEXT.en.expertNote));
      expect(html).toContain('value="acknowledge"');
      expect(html).not.toContain('value="report"');
      expect(html).not.toContain('value="extension"');
    });

    it('explains the report: recorded as reported, confirmed by the Secretariat, reminders paused 14 days', () => {
      const text = RESPOND_TEXT.en.report.text;

      expect(aPage().html).toContain(escapeHtml(text));
      expect(text).toMatch(/recorded as reported/);
      expect(text).toMatch(/Secretariat will confirm/);
      expect(text).toMatch(/14 days/);
    });

    it('labels the extension fields and makes them required, the reason at most 1000 characters', () => {
      const { html } = aPage();

      expect(html).toContain('<label for="deadline">Proposed new deadline</label>');
      expect(html).toContain('<label for="reason">Reason for the request</label>');
      expect(html).toMatch(
        /<input type="date" id="deadline" name="deadline" aria-describedby="deadline-hint" required min="2027-06-01">/,
      );
      expect(html).toMatch(
        /<textarea id="reason" name="reason" aria-describedby="reason-hint" required maxlength="1000"[^>]*>\n<\/textarea>/,
      );
    });

    it.each([
      { deadline: '2027-05-31', today: '2027-05-10', min: '2027-06-01' },
      { deadline: '2027-02-28', today: '2027-01-10', min: '2027-03-01' },
      { deadline: '2027-05-31', today: '2027-05-31', min: '2027-06-01' },
      { deadline: '2027-05-31', today: '2027-06-01', min: '2027-06-01' },
      { deadline: '2027-05-31', today: '2027-06-15', min: '2027-06-15' },
      { deadline: null, today: '2027-06-15', min: '2027-06-15' },
    ])('sets the date min to $min (deadline $deadline, today $today)', ({ deadline, today, min }) => {
      const { html } = aPage({ deadline, today });

      expect(earliestExtensionDate({ deadline, today })).toBe(min);
      expect(html).toContain(`required min="${min}"`);
      expect(html).toContain(escapeHtml(RESPOND_TEXT.en.extension.deadlineHint(formatDate(min, 'en'))));
    });

    it('refills the fields it sends back, escaped, the reason whole (a leading newline kept)', () => {
      const { html } = aPage(
        {},
        {
          errors: [{ field: 'deadline', problem: 'invalid' }],
          values: { deadline: '"><script>x</script>', reason: '\nFirst line\n</textarea><b>' },
        },
      );

      expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">');
      expect(html).toContain('dir="auto">\n\nFirst line\n&lt;/textarea&gt;&lt;b&gt;</textarea>');
      expectOnlyOwnMarkup(html);
    });

    it('lists errors in the order of the fields, whatever order they come in', () => {
      const { html } = aPage(
        {},
        {
          errors: [
            { field: 'reason', problem: 'missing' },
            { field: 'deadline', problem: 'missing' },
          ],
        },
      );

      expect(html.indexOf('<li><a href="#deadline">')).toBeLessThan(html.indexOf('<li><a href="#reason">'));
      expect(html.indexOf('class="problem" role="alert"')).toBeLessThan(html.indexOf('<dl>'));
    });
  });

  describe('statuses and headers', () => {
    it('answers 200 for the page, 400 only when there are field errors', () => {
      expect(aPage().statusCode).toBe(200);
      expect(aPage({}, { errors: [] }).statusCode).toBe(200);
      expect(aPage({}, { errors: [{ field: 'reason', problem: 'missing' }] }).statusCode).toBe(400);
    });

    it('sends the same security headers with every page and refusal, names in lower case', () => {
      for (const rendered of [aPage(), ...REFUSALS.map((r) => refused(r))]) {
        const style = styleOf(rendered.html);
        const hash = createHash('sha256').update(style, 'utf8').digest('base64');

        expect(rendered.headers).toMatchObject({
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'x-robots-tag': 'noindex, nofollow',
          'strict-transport-security': 'max-age=63072000; includeSubDomains',
        });
        for (const name of Object.keys(rendered.headers)) expect(name).toBe(name.toLowerCase());
      }
    });

    it('says when to retry after a rate limit, and after an outage when known', () => {
      const limited = refused('rate_limited', 'en', 120);
      const down = refused('unavailable', 'ru', 30);

      expect(limited.headers['retry-after']).toBe('120');
      expect(limited.html).toContain('You can try again in 2 minutes.');
      expect(down.headers['retry-after']).toBe('30');
      expect(down.html).toContain('Повторить попытку можно через 1 минуту.');
      expect(refused('unavailable').headers).not.toHaveProperty('retry-after');
      expect(refused('altered', 'en', 60).headers).not.toHaveProperty('retry-after');
      expect(refused('rate_limited', 'en', Number.NaN).headers).not.toHaveProperty('retry-after');
    });

    it('words the altered link as the brief asks: changed or cut off, use the latest e-mail', () => {
      const { html } = refused('altered');

      expect(html).toContain('<h1>This link is not valid</h1>');
      expect(html).toMatch(/changed or cut off when it was copied/);
      expect(html).toMatch(/latest e-mail/);
      expect(refused('stage_over').html).toMatch(/newer e-mail carries a new link/);
    });
  });

  describe('hygiene', () => {
    const pages = [
      aPage(),
      aPage({ language: 'ar' }, { notice: 'reported', errors: [{ field: 'reason', problem: 'missing' }] }),
      refused('expired', 'zh'),
    ];

    it.each(pages.map((rendered, i) => ({ i, rendered })))(
      'carries no script, no event handler, no inline style and no external resource (#$i)',
      ({ rendered }) => {
        const html = markup(rendered.html);

        expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|<base/i);
        expect(html).not.toMatch(/\son[a-z]+=/i);
        expect(html).not.toMatch(/\sstyle=/i);
        expect(html).not.toMatch(/\ssrc=|https?:\/\/|javascript:/i);
        expect(styleOf(rendered.html)).not.toMatch(/url\(|@import/);
      },
    );

    it('is readable at phone width: viewport, a bounded container, system fonts, big buttons', () => {
      const { html } = aPage();
      const style = styleOf(html);

      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(style).toMatch(/main,footer\{max-width:42rem/);
      expect(style).toMatch(/font-family:system-ui/);
      expect(style).toMatch(/button\{[^}]*min-height:2\.75rem/);
    });

    it('uses colours with AA contrast', () => {
      const style = styleOf(aPage().html);
      const pairs: [string, string][] = [
        ['#1a1a1a', '#ffffff'], // text on the page
        ['#4a4a4a', '#f4f5f7'], // footer and hints
        ['#4a4a4a', '#ffffff'],
        ['#0b4f9c', '#ffffff'], // links
        ['#ffffff', '#0b4f9c'], // button text
        ['#ffffff', '#083b75'], // button hovered
        ['#a4161a', '#ffffff'], // field errors
        ['#0b4f9c', '#fdecec'], // links in the error summary
        ['#1a1a1a', '#eaf5ee'], // the notice
      ];
      for (const colour of ['#1a1a1a', '#4a4a4a', '#0b4f9c', '#083b75', '#a4161a', '#fdecec', '#eaf5ee']) {
        expect(style).toContain(colour);
      }
      for (const [fg, bg] of pairs) expect(contrast(fg, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    });

    it('lays Arabic out right to left with logical properties only', () => {
      const { html } = aPage({ language: 'ar' });
      const style = styleOf(html);

      expect(html).toContain('<html lang="ar" dir="rtl">');
      expect(aPage({ language: 'zh' }).html).toContain('<html lang="zh" dir="ltr">');
      expect(style).toMatch(/margin-inline/);
      expect(style).toMatch(/border-inline-start/);
      expect(style).not.toMatch(/left|right/);
    });

    it('keeps bidi overrides typed in a reason from reordering the page', () => {
      const { html } = aPage({
        openRequest: {
          requestedDeadline: '2027-06-30',
          reason: 'abc\u202edef\u2066',
          requestedAt: '2027-05-21T10:00:00.000Z',
        },
      });

      expect(html).toContain('<dd class="typed" dir="auto">abcdef</dd>');
    });

    it('never turns typed text into markup (property)', () => {
      const special = fc.constantFrom('<', '>', '&', '"', "'", '</textarea><script>', '<script>', '"><b x="');
      const plain = fc.string({
        unit: fc.constantFrom('a', 'Z', '1', '/', '=', '-', '@', '.', 'é', 'ж'),
        maxLength: 12,
      });
      const nasty = fc.tuple(plain, special, plain).map(([a, b, c]) => `${a}${b}${c}`);
      const language = fc.constantFrom(...LANGUAGES);

      fc.assert(
        fc.property(
          nasty,
          nasty,
          nasty,
          nasty,
          nasty,
          language,
          (reason, reference, contact, typed, csrf, lang) => {
            const { html } = aPage(
              {
                language: lang,
                reference,
                contact,
                csrf,
                action: `/respond/${csrf}`,
                openRequest: {
                  requestedDeadline: '2027-06-30',
                  reason,
                  requestedAt: '2027-05-21T10:00:00.000Z',
                },
                lastDecision: {
                  outcome: 'declined',
                  requestedDeadline: '2027-06-15',
                  reason,
                  decidedAt: '2027-05-10T10:00:00.000Z',
                },
              },
              {
                errors: [{ field: 'reason', problem: 'too_long' }],
                values: { deadline: typed, reason: typed },
              },
            );

            expectOnlyOwnMarkup(html);
            for (const value of [reason, reference, contact, typed, csrf]) {
              expect(html).toContain(escapeHtml(value));
              // Markup the page never writes itself: if it shows up, typed text became markup.
              if (/<script>|"><b x="/.test(value)) expect(markup(html)).not.toContain(value);
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  });
});
