import { describe, expect, it } from 'vitest';
import { UNTOC_PROCESS } from '#shared/domain/process-definition.ts';
import type { Language } from '#shared/domain/review.ts';
import { formatDeadline } from '#shared/email/format-deadline.ts';
import { escapeHtml } from '#shared/email/html.ts';
import { MESSAGES } from '#shared/email/messages.ts';
import {
  type FocalPointMailKind,
  maskAddress,
  renderFocalPointMail,
  renderSecretariatMail,
  stageName,
} from '#shared/email/templates.ts';
import { aFocalPointMail } from './factories.ts';

const LANGUAGES: Language[] = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
const KINDS: FocalPointMailKind[] = ['stage_notice', 'reminder', 'overdue_notice'];
const STAGES = UNTOC_PROCESS.stages;
const LEFTOVERS = /undefined|null|NaN|\{\{|\}\}|\[object/;

const matrix = LANGUAGES.flatMap((language) =>
  KINDS.flatMap((kind) => STAGES.map((stage) => ({ language, kind, stage }))),
);

describe('renderFocalPointMail', () => {
  it.each(matrix)(
    'renders a $kind for $stage.id in $language, complete and addressed by name',
    ({ language, kind, stage }) => {
      const input = aFocalPointMail({
        kind,
        language,
        stage: stage.id,
        stageCloses: stage.closes,
        recipientName: 'Maria Huber',
        daysLeft: kind === 'reminder' ? 14 : undefined,
        daysOverdue: kind === 'overdue_notice' ? 3 : undefined,
      });
      const deadline = formatDeadline('2027-05-31', language, 'Europe/Vienna');

      const mail = renderFocalPointMail(input);

      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part.trim()).not.toBe('');
        expect(part).not.toMatch(LEFTOVERS);
      }
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.subject).toContain('GRC');
      expect(mail.subject).toContain(stageName(stage.id, language));
      expect(mail.text).toContain(deadline);
      expect(mail.html).toContain(escapeHtml(deadline));
      expect(mail.text).toContain('Maria Huber');
      expect(mail.html).toContain('Maria Huber');
      expect(mail.html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(mail.html.trimEnd().endsWith('</html>')).toBe(true);
      if (language === 'ar') {
        expect(mail.html).toContain('<html lang="ar" dir="rtl">');
        expect(mail.html).toContain('<div dir="rtl"');
        expect(mail.html).not.toContain('dir="ltr"');
      } else {
        expect(mail.html).toContain(`<html lang="${language}" dir="ltr">`);
        expect(mail.html).toContain('<div dir="ltr"');
        expect(mail.html).not.toContain('dir="rtl"');
      }
    },
  );

  it.each(LANGUAGES)('in %s says how many days remain in a reminder', (language) => {
    const mail = renderFocalPointMail(aFocalPointMail({ language, kind: 'reminder', daysLeft: 7 }));

    expect(mail.text).toContain(MESSAGES[language].days(7));
    expect(mail.subject).toContain(MESSAGES[language].days(7));
  });

  it.each(LANGUAGES)(
    'in %s says in an overdue notice that the deadline has passed, and since when',
    (language) => {
      const s = MESSAGES[language];
      const stage = s.stages.desk_review;

      const mail = renderFocalPointMail(
        aFocalPointMail({ language, kind: 'overdue_notice', daysOverdue: 5 }),
      );

      expect(mail.text).toContain(s.body.overdue_notice('GRC', stage, 5));
      expect(mail.text).toContain(s.days(5));
      expect(mail.subject).toBe(s.subject.overdue_notice('GRC', stage));
    },
  );

  it('uses the plural forms of each language', () => {
    expect(MESSAGES.en.days(1)).toBe('1 day');
    expect(MESSAGES.ru.days(1)).toBe('1 день');
    expect(MESSAGES.ru.days(3)).toBe('3 дня');
    expect(MESSAGES.ru.days(14)).toBe('14 дней');
    expect(MESSAGES.ru.days(21)).toBe('21 день');
    expect(MESSAGES.ar.days(2)).toBe('يومين');
    expect(MESSAGES.ar.days(7)).toBe('7 أيام');
    expect(MESSAGES.ar.days(30)).toBe('30 يومًا');
    expect(MESSAGES.fr.days(1)).toBe('1 jour');
    expect(MESSAGES.es.days(30)).toBe('30 días');
  });

  it('says "due today" when no day is left, and "approaching" when the count is unknown', () => {
    const today = renderFocalPointMail(aFocalPointMail({ daysLeft: 0 }));
    const unknown = renderFocalPointMail(aFocalPointMail({ daysLeft: undefined }));

    expect(today.subject).toContain('due today');
    expect(unknown.text).toContain('is approaching its deadline');
    expect(unknown.text).not.toContain('Days remaining');
  });

  it('translates stage names and the UNTOC outcome wording, and keeps a custom stage as it is', () => {
    const french = renderFocalPointMail(aFocalPointMail({ language: 'fr' }));
    const custom = renderFocalPointMail(
      aFocalPointMail({ language: 'fr', stage: 'country_visit', stageCloses: 'visit report agreed' }),
    );

    expect(french.text).toContain('Examen sur dossier');
    expect(french.text).toContain('observations écrites transmises');
    expect(french.text).not.toContain('written feedback sent');
    expect(custom.text).toContain('country_visit');
    expect(custom.text).toContain('visit report agreed');
  });

  it('keeps a process text for a known stage whose wording was changed', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ language: 'es', stageCloses: 'feedback uploaded' }));

    expect(mail.text).toContain('feedback uploaded');
  });

  it('translates the instruments and leaves an unknown one as its code', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ language: 'zh', instruments: ['SOM', 'XYZ'] }));

    expect(mail.text).toContain('《偷运移民议定书》、XYZ');
  });

  it('has a translation of every UNTOC stage and of its outcome, in every language', () => {
    const ids = STAGES.map((s) => s.id).sort();
    for (const language of LANGUAGES) {
      expect(Object.keys(MESSAGES[language].stages).sort()).toEqual(ids);
      expect(Object.keys(MESSAGES[language].closes).sort()).toEqual(ids);
    }
    for (const stage of STAGES) {
      expect(MESSAGES.en.closes[stage.id as keyof typeof MESSAGES.en.closes]).toBe(stage.closes);
    }
  });

  it('tells a responsible State it must act and another State that the notice is for information', () => {
    const toActor = renderFocalPointMail(aFocalPointMail({ kind: 'stage_notice', recipientState: 'AUT' }));
    const toSuR = renderFocalPointMail(aFocalPointMail({ kind: 'stage_notice', recipientState: 'GRC' }));

    expect(toActor.text).toContain('As focal point for AUT, you are among those asked to act');
    expect(toSuR.text).toContain('No action is requested from GRC in this stage');
  });

  it('names only the review and its own responsible participants', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ kind: 'overdue_notice', daysOverdue: 2 }));

    const codes = new Set(mail.text.match(/\b[A-Z]{3}\b/g));

    expect([...codes].filter((c) => !['GRC', 'AUT', 'BRA', 'TIP'].includes(c))).toEqual([]);
  });

  it('keeps a courteous, non-punitive tone in English reminders and overdue notices', () => {
    for (const kind of KINDS) {
      const mail = renderFocalPointMail(aFocalPointMail({ kind, daysOverdue: 40 }));

      expect(`${mail.subject}\n${mail.text}`).not.toMatch(
        /\b(late|fail\w*|penalt\w*|sanction\w*|overdue|non-?complian\w*|breach\w*)\b/i,
      );
    }
  });

  it('escapes every interpolated value in the HTML', () => {
    const hostile = '<script>alert(1)</script> & "x"';

    const mail = renderFocalPointMail(
      aFocalPointMail({
        recipientName: hostile,
        reviewId: `rev-<img src=x onerror=alert(1)>`,
        stage: '<b>stage</b>',
        stageCloses: "it's <i>done</i>",
        instruments: ['<u>'],
      }),
    );

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).not.toContain('<i>');
    expect(mail.html).not.toContain('<u>');
    expect(mail.html).not.toContain('"x"');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(mail.html).toContain('it&#39;s &lt;i&gt;done&lt;/i&gt;');
    expect(mail.text).toContain(hostile);
  });

  it('keeps the subject on one line whatever the input holds', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ stateUnderReview: 'GRC\r\nBcc: x@example.org' }));

    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});

describe('renderSecretariatMail', () => {
  const escalation = {
    kind: 'escalation' as const,
    reviewId: 'rev-1',
    stateUnderReview: 'GRC',
    cluster: 2,
    stage: 'desk_review',
    responsibleStates: ['AUT', 'BRA'],
    deadline: '2027-05-31',
    timeZone: 'Europe/Vienna',
    daysOverdue: 14,
    occurrence: 2,
    reminders: [
      { kind: 'reminder', dueAt: '2027-05-01T07:00:00Z', recipient: 'AUT', status: 'sent' },
      {
        kind: 'reminder',
        dueAt: '2027-05-17T07:00:00Z',
        recipient: 'BRA',
        status: 'skipped',
        reason: 'undeliverable',
      },
      { kind: 'overdue_notice', dueAt: '2027-06-01T07:00:00Z', recipient: 'BRA', status: 'failed' },
    ],
  };

  it('names the review, stage, responsible States and days overdue of an escalation', () => {
    const mail = renderSecretariatMail(escalation);

    expect(mail.subject).toBe('Escalation 2: review of GRC, Desk review stage 14 days past its deadline');
    expect(mail.text).toContain('Responsible participants: AUT, BRA');
    expect(mail.text).toContain('Deadline: 31 May 2027, end of day, Vienna time');
    expect(mail.text).toContain('Days overdue: 14');
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
  });

  it('lists every reminder sent with its delivery status, in lines and in a table', () => {
    const mail = renderSecretariatMail(escalation);

    expect(mail.text).toContain('- Kind: reminder; Due: 2027-05-01T07:00:00Z; Recipient: AUT; Status: sent');
    expect(mail.text).toContain(
      '- Kind: reminder; Due: 2027-05-17T07:00:00Z; Recipient: BRA; Status: skipped (undeliverable)',
    );
    expect(mail.text).toContain(
      '- Kind: overdue notice; Due: 2027-06-01T07:00:00Z; Recipient: BRA; Status: failed',
    );
    const tbody = mail.html.match(/<tbody>(.*?)<\/tbody>/s)?.[1] ?? '';
    expect(tbody.match(/<tr>/g)).toHaveLength(3);
    expect(tbody).toContain('skipped (undeliverable)');
  });

  it('says so when no reminder was sent', () => {
    const mail = renderSecretariatMail({ ...escalation, reminders: [] });

    expect(mail.text).toContain('No reminder was sent for this stage.');
    expect(mail.html).toContain('No reminder was sent for this stage.');
  });

  it('escapes reminder fields in the HTML table', () => {
    const mail = renderSecretariatMail({
      ...escalation,
      reminders: [{ kind: 'reminder', dueAt: 'x', recipient: '<AUT>', status: 'sent', reason: '"a" & b' }],
    });

    expect(mail.html).toContain('&lt;AUT&gt;');
    expect(mail.html).toContain('sent (&quot;a&quot; &amp; b)');
  });

  it('names the State without a focal point', () => {
    const mail = renderSecretariatMail({
      kind: 'no_focal_point',
      reviewId: 'rev-1',
      stateUnderReview: 'GRC',
      cluster: 2,
      stage: 'self_assessment',
      state: 'GRC',
      notificationKind: 'reminder',
      deadline: '2027-07-11',
      timeZone: 'Europe/Vienna',
    });

    expect(mail.subject).toBe('No focal point for GRC (review rev-1: GRC, Self-assessment)');
    expect(mail.text).toContain('GRC has no focal point registered in the review of GRC (cluster 2)');
    expect(mail.text).toContain('the reminder for the Self-assessment stage could not be sent');
    expect(mail.text).toContain('PUT /reviews/rev-1/focal-points/GRC');
  });

  it('reports an undeliverable address without ever putting the address in the subject', () => {
    const mail = renderSecretariatMail({
      kind: 'undeliverable',
      reviewId: 'rev-1',
      state: 'BRA',
      reason: 'bounce',
      addressHint: 'joao.silva@itamaraty.example',
    });

    expect(mail.subject).toBe('Undeliverable focal point address (bounce): BRA, review rev-1');
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain('joao.silva');
    expect(mail.text).toContain('j***@itamaraty.example');
    expect(mail.text).toContain('a permanent bounce');
  });

  it('reports a complaint for an address it cannot tie to a review', () => {
    const mail = renderSecretariatMail({
      kind: 'undeliverable',
      reason: 'complaint',
      addressHint: 'a***@x.example',
    });

    expect(mail.subject).toBe('Undeliverable focal point address (complaint)');
    expect(mail.text).toContain('Review: unknown');
    expect(mail.text).toContain('a***@x.example');
  });
});

describe('maskAddress', () => {
  it('keeps the first character and the domain, and is idempotent', () => {
    expect(maskAddress('maria.huber@bmi.example')).toBe('m***@bmi.example');
    expect(maskAddress(maskAddress('maria.huber@bmi.example'))).toBe('m***@bmi.example');
    expect(maskAddress('@x.example')).toBe('****@x.example');
    expect(maskAddress('no-at-sign')).toBe('n***');
  });
});
