import { describe, expect, it } from 'vitest';
import { isStateCode, stateName } from '#shared/domain/countries.ts';
import { UNTOC_TEXT } from '#shared/domain/processes/untoc.text.ts';
import type { Language } from '#shared/domain/review.ts';
import { escapeHtml } from '#shared/email/html.ts';
import { MESSAGES } from '#shared/email/messages.ts';
import {
  type FocalPointMailInput,
  type FocalPointMailKind,
  type RenderedMail,
  renderFocalPointMail,
  renderSecretariatMail,
  type SecretariatMailInput,
} from '#shared/email/templates.ts';
import {
  aFocalPointMail,
  allSubmissionsReceived,
  aNoFocalPoint,
  anEscalation,
  anExtensionDecision,
  anUndeliverable,
  RESPOND_URL,
} from './factories.ts';

/**
 * Every kind of mail in every language and for both roles, checked for what a reader would
 * notice at once: the reference, dates that are dates, States named, nothing left unfilled,
 * whom to ask.
 */

const LANGUAGES: Language[] = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
const KINDS: FocalPointMailKind[] = [
  'stage_notice',
  'reminder',
  'overdue_notice',
  'deadline_changed',
  'paused',
  'resumed',
  'extension_decision',
];
const OUTCOMES = ['approved', 'declined'] as const;
const ROLES = ['focal_point', 'expert'] as const;
const REFERENCE = 'GRC-C2-2026';
const ISO_INSTANT = /\d{4}-\d\d-\d\dT\d\d:/;
const LEFTOVERS = /undefined|NaN|null|\[object|\{\{|\}\}/;
/** Kinds whose body shows the deadline (a paused review has none running). */
const WITH_DEADLINE: FocalPointMailKind[] = KINDS.filter((k) => k !== 'paused');

/**
 * Greece's desk review, to Austria: Austria and Côte d'Ivoire still owe, Brazil has submitted. An
 * extension decision answers Austria's request (approved unless `outcome` says otherwise).
 */
function input(
  language: Language,
  kind: FocalPointMailKind,
  role: (typeof ROLES)[number],
  outcome: (typeof OUTCOMES)[number] = 'approved',
  respondUrl: string | undefined = undefined,
): FocalPointMailInput {
  return aFocalPointMail({
    kind,
    language,
    recipientRole: role,
    responsibleStates: ['AUT', 'BRA', 'CIV'],
    owingStates: ['AUT', 'CIV'],
    // A first of the month, for the French "1er".
    deadline: '2027-06-01',
    previousDeadline: '2027-05-15',
    daysLeft: 14,
    daysOverdue: 3,
    contact: { name: 'Jane Doe', email: 'jane.doe@un.example' },
    extensionDecision: anExtensionDecision({ outcome }),
    respondUrl,
  });
}

/** Every kind, the extension decision once per outcome, each with and without the personal link. */
interface Variant {
  kind: FocalPointMailKind;
  outcome: (typeof OUTCOMES)[number];
  name: string;
}
const VARIANTS = KINDS.flatMap((kind): Variant[] =>
  kind === 'extension_decision'
    ? OUTCOMES.map((outcome) => ({ kind, outcome, name: `${kind} (${outcome})` }))
    : [{ kind, outcome: 'approved', name: kind }],
);
const focalPointMatrix = LANGUAGES.flatMap((language) =>
  VARIANTS.flatMap((variant) =>
    ROLES.flatMap((role) =>
      [undefined, RESPOND_URL].map((respondUrl) => ({
        language,
        ...variant,
        role,
        respondUrl,
        link: respondUrl === undefined ? 'no link' : 'a link',
      })),
    ),
  ),
);

/** How often `needle` occurs in `haystack`. */
function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/**
 * The body without what may hold a code without mentioning a State: the reference, an API path,
 * and the HTML head (its title is the subject, which stands on its own).
 */
function mentionsOnly(part: string): string {
  return part
    .replace(/^[\s\S]*<\/head>/, '')
    .replaceAll(REFERENCE, '')
    .replace(/\/focal-points\/[A-Z]{3}/g, '');
}

/**
 * Each State code in the text appears once, in brackets right after the State's name, and the
 * name appears nowhere before that first mention.
 */
function expectNamedOnFirstMention(part: string, language: Language, html: boolean) {
  const text = mentionsOnly(part);
  const codes = new Set([...text.matchAll(/\b[A-Z]{3}\b/g)].map((m) => m[0]).filter(isStateCode));
  for (const code of codes) {
    const name = html ? escapeHtml(stateName(code, language)) : stateName(code, language);
    const first = `${name} (${code})`;
    expect(text.match(new RegExp(`\\b${code}\\b`, 'g')), `${code} appears once`).toHaveLength(1);
    expect(text, `${code} with its name`).toContain(first);
    expect(text.indexOf(name), `${name} before its code`).toBe(text.indexOf(first));
  }
  return codes;
}

function expectWellFormed(mail: RenderedMail) {
  for (const part of [mail.subject, mail.text, mail.html]) {
    expect(part.trim()).not.toBe('');
    expect(part).not.toMatch(LEFTOVERS);
    expect(part).not.toMatch(ISO_INSTANT);
  }
  // A sentence ending in a Russian date ("1 июня 2027 г.") takes no second full stop.
  expect(mail.text).not.toMatch(/[^.]\.\.(?!\.)/);
  expect(mail.text).not.toMatch(/[^\n ] {2,}| [.,;:](?!\S)/);
  expect(mail.subject).toContain(REFERENCE);
  expect(mail.subject).not.toMatch(/[\r\n\u2028\u2029]/);
  expect(mail.html.startsWith('<!DOCTYPE html>')).toBe(true);
}

describe('focal-point mail, every kind in every language for both roles', () => {
  it.each(focalPointMatrix)(
    'a $name in $language to a $role, with $link',
    ({ language, kind, outcome, role, respondUrl }) => {
      const s = MESSAGES[language];

      const mail = renderFocalPointMail(input(language, kind, role, outcome, respondUrl));

      expectWellFormed(mail);
      for (const [part, html] of [
        [mail.text, false],
        [mail.html, true],
      ] as const) {
        const codes = expectNamedOnFirstMention(part, language, html);
        expect(codes).toContain('GRC');
        expect(codes).toContain('AUT');
        expect(part).toContain('jane.doe@un.example');
        expect(part).toContain(
          html
            ? escapeHtml(s.contact('Jane Doe', 'jane.doe@un.example'))
            : s.contact('Jane Doe', 'jane.doe@un.example'),
        );
      }
      const dir = language === 'ar' ? 'rtl' : 'ltr';
      expect(mail.html).toContain(`<html lang="${language}" dir="${dir}">`);
      expect(mail.html).toContain(`<div dir="${dir}"`);
      if (WITH_DEADLINE.includes(kind) && language === 'fr') expect(mail.text).toContain('1er juin 2027');
      if (WITH_DEADLINE.includes(kind) && language === 'ru')
        expect(mail.text).toContain('по венскому времени');
      // The contact line closes the mail, right before the sign-off.
      const beforeSignOff = mail.text.split(`\n\n${s.signOff.join('\n')}`)[0] ?? '';
      expect(beforeSignOff.endsWith(s.contact('Jane Doe', 'jane.doe@un.example'))).toBe(true);
      // The personal link: once in each body when given, on a line of its own in text, never otherwise.
      const times = respondUrl === undefined ? 0 : 1;
      expect(occurrences(mail.text, RESPOND_URL)).toBe(times);
      expect(occurrences(mail.text, `\n${RESPOND_URL}\n`)).toBe(times);
      expect(occurrences(mail.html, `<a href="${escapeHtml(RESPOND_URL)}"`)).toBe(times);
      expect(occurrences(mail.html, 'respond/')).toBe(times);
      expect(occurrences(mail.text, s.respond.personal)).toBe(times);
      expect(occurrences(mail.subject, 'respond/')).toBe(0);
    },
  );

  it.each(LANGUAGES)(
    'in %s tells an expert why they get the copy, and never asks them to act',
    (language) => {
      const s = MESSAGES[language];
      const asks = [
        s.body.byDeadline,
        s.body.asSoonAsPossible,
        s.body.byNewDeadline,
        s.body.reminderNote,
        s.body.overdueNote,
        s.body.extensionDeclinedNote,
        s.respond.act,
      ];

      for (const { kind, outcome } of VARIANTS) {
        const expert = renderFocalPointMail({
          ...input(language, kind, 'expert', outcome, RESPOND_URL),
          alreadyOverdue: true,
        });
        const focalPoint = renderFocalPointMail(input(language, kind, 'focal_point', outcome, RESPOND_URL));

        expect(expert.text).toContain(s.footerExpert(stateName('AUT', language)));
        expect(focalPoint.text).not.toContain(s.footerExpert(stateName('AUT', language)));
        for (const ask of asks) expect(expert.text).not.toContain(ask);
        if (kind !== 'paused') expect(expert.text).toContain(s.body.expertCopy);
        expect(expert.text).toContain(`${s.respond.acknowledge}\n${RESPOND_URL}\n`);
        expect(focalPoint.text).toContain(`${s.respond.act}\n${RESPOND_URL}\n`);
      }
    },
  );

  it.each(LANGUAGES)('in %s says in a late stage notice that the deadline has passed', (language) => {
    const s = MESSAGES[language];
    const normal = renderFocalPointMail(input(language, 'stage_notice', 'focal_point'));

    const late = renderFocalPointMail({
      ...input(language, 'stage_notice', 'focal_point'),
      alreadyOverdue: true,
    });

    expect(late.subject).not.toBe(normal.subject);
    expect(late.text).toContain(s.body.asSoonAsPossible);
    expect(late.text).not.toContain(s.body.byDeadline);
    expect(normal.text).toContain(s.body.byDeadline);
    expect(late.text).toContain(
      s.body.stage_notice_passed(REFERENCE, UNTOC_TEXT[language].stages.desk_review ?? ''),
    );
    expect(normal.text).not.toContain(
      s.body.stage_notice_passed(REFERENCE, UNTOC_TEXT[language].stages.desk_review ?? ''),
    );
  });
});

const secretariatMatrix: SecretariatMailInput[] = [
  anEscalation(),
  aNoFocalPoint(),
  anUndeliverable(),
  allSubmissionsReceived(),
];

describe('Secretariat mail, every kind', () => {
  it.each(secretariatMatrix.map((mail) => ({ kind: mail.kind, mail })))('a $kind', ({ mail: request }) => {
    const mail = renderSecretariatMail(request);

    expectWellFormed(mail);
    expectNamedOnFirstMention(mail.text, 'en', false);
    expectNamedOnFirstMention(mail.html, 'en', true);
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
  });

  it('names in an escalation only the States still owing, never one that has submitted', () => {
    const mail = renderSecretariatMail(anEscalation({ owingStates: ['BRA'] }));

    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toContain('Austria');
      expect(part).not.toMatch(/\bAUT\b/);
    }
    expect(mail.text).toContain('States still owing: Brazil (BRA)');
  });
});
