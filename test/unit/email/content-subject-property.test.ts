import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNTOC_TEXT } from '#shared/domain/processes/untoc.text.ts';
import type { Language } from '#shared/domain/review.ts';
import {
  calendarText,
  type FocalPointMailKind,
  renderFocalPointMail,
  renderSecretariatMail,
} from '#shared/email/templates.ts';
import {
  aFocalPointMail,
  aNoFocalPoint,
  anExtensionDecision,
  anUndeliverable,
  RESPOND_URL,
} from './factories.ts';

/** What would end a header line or reorder it: control characters, line separators, bidi overrides. */
const BREAKS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const language = fc.constantFrom<Language>('ar', 'en', 'es', 'fr', 'ru', 'zh');
const kind = fc.constantFrom<FocalPointMailKind>(
  'stage_notice',
  'reminder',
  'overdue_notice',
  'deadline_changed',
  'paused',
  'resumed',
  'extension_decision',
);
const outcome = fc.constantFrom('approved' as const, 'declined' as const);
/** Any code points, with the awkward ones made likely. */
const odd = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .array(
      fc.constantFrom(
        '\r',
        '\n',
        '\r\n',
        '\t',
        '\u0085',
        '\u2028',
        '\u2029',
        '\u202e',
        '\u0000',
        ' ',
        'x',
        'é',
        '希',
      ),
      {
        maxLength: 12,
      },
    )
    .map((parts) => parts.join('')),
);

function expectOneLine(subject: string) {
  expect(subject).not.toMatch(BREAKS);
  expect(subject).toBe(subject.trim());
}

describe('subjects', () => {
  it('stay on one line whatever the names, reference and stage hold', () => {
    fc.assert(
      fc.property(
        language,
        kind,
        odd,
        odd,
        odd,
        odd,
        odd,
        outcome,
        odd,
        (lang, k, name, reference, sur, stage, contact, decided, reason) => {
          const mail = renderFocalPointMail(
            aFocalPointMail({
              language: lang,
              kind: k,
              recipientName: name,
              reference,
              stateUnderReview: sur,
              stage,
              contact: { name: contact, email: 'jane.doe@un.example' },
              extensionDecision: anExtensionDecision({ outcome: decided, reason }),
              respondUrl: RESPOND_URL,
            }),
          );

          expectOneLine(mail.subject);
          expect(mail.html).toContain('</html>');
        },
      ),
    );
  });

  it('stay on one line in Secretariat mail and in calendar titles', () => {
    fc.assert(
      fc.property(language, odd, odd, odd, (lang, reference, state, stage) => {
        expectOneLine(renderSecretariatMail(aNoFocalPoint({ reference, state, stage })).subject);
        expectOneLine(renderSecretariatMail(anUndeliverable({ reference, state })).subject);
        const calendar = calendarText({
          language: lang,
          reference,
          stateUnderReview: state,
          stage,
          words: UNTOC_TEXT,
          deadline: '2027-06-01',
          timeZone: 'Europe/Vienna',
          contact: { email: 'jane.doe@un.example' },
        });
        expectOneLine(calendar.summary);
      }),
    );
  });
});
