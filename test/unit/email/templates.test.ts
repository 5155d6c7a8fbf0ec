import { describe, expect, it } from 'vitest';
import { UNCAC_TEXT } from '#shared/domain/processes/uncac.text.ts';
import { UNTOC_TEXT } from '#shared/domain/processes/untoc.text.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import type { Language } from '#shared/domain/review.ts';
import { formatDate, formatDeadline } from '#shared/email/format-deadline.ts';
import { escapeHtml } from '#shared/email/html.ts';
import { MESSAGES } from '#shared/email/messages.ts';
import {
  calendarText,
  type FocalPointMailKind,
  maskAddress,
  renderFocalPointMail,
  renderSecretariatMail,
  stageName,
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
const STAGES = UNTOC_PROCESS.stages;
const LEFTOVERS = /undefined|null|NaN|\{\{|\}\}|\[object/;

const matrix = LANGUAGES.flatMap((language) =>
  (['stage_notice', 'reminder', 'overdue_notice'] as const).flatMap((kind) =>
    STAGES.map((stage) => ({ language, kind, stage })),
  ),
);

describe('renderFocalPointMail', () => {
  it.each(matrix)(
    'renders a $kind for $stage.id in $language, complete and addressed by name',
    ({ language, kind, stage }) => {
      const input = aFocalPointMail({
        kind,
        language,
        stage: stage.id,
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
      expect(mail.subject).toContain('GRC-C2-2026');
      expect(mail.subject).toContain(stageName(UNTOC_TEXT, stage.id, language) as string);
      expect(mail.text).toContain(deadline);
      expect(mail.html).toContain(escapeHtml(deadline));
      expect(mail.text).toContain('Maria Huber');
      expect(mail.html).toContain('Maria Huber');
      expect(mail.html.trimEnd().endsWith('</html>')).toBe(true);
    },
  );

  it('puts the reference in the first row of the details and the State under review by name in the subject', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ language: 'fr', kind: 'stage_notice' }));

    expect(mail.subject).toBe('Examen GRC-C2-2026 (Grèce)\u00a0: nouvelle étape – Examen sur dossier');
    expect(mail.text).toContain('\n\nExamen\u00a0: GRC-C2-2026\nÉtat partie examiné\u00a0: Grèce (GRC)\n');
    expect(mail.html).toMatch(
      /<table role="presentation"[^>]*><tr><th[^>]*>Examen<\/th><td[^>]*>GRC-C2-2026</,
    );
  });

  it.each(LANGUAGES)('in %s says how many days remain in a reminder', (language) => {
    const mail = renderFocalPointMail(aFocalPointMail({ language, kind: 'reminder', daysLeft: 7 }));

    expect(mail.text).toContain(MESSAGES[language].days(7));
    expect(mail.subject).toContain(MESSAGES[language].days(7));
  });

  it.each(LANGUAGES)(
    'in %s says in an overdue notice that the deadline has passed, and since when',
    (language) => {
      const s = MESSAGES[language];

      const mail = renderFocalPointMail(
        aFocalPointMail({ language, kind: 'overdue_notice', daysOverdue: 5 }),
      );

      expect(mail.text).toContain(
        s.body.overdue_notice('GRC-C2-2026', UNTOC_TEXT[language].stages.desk_review ?? '', 5),
      );
      expect(mail.text).toContain(s.days(5));
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

  it('says "today" when no day is left, and "approaching" when the count is unknown', () => {
    const today = renderFocalPointMail(aFocalPointMail({ daysLeft: 0 }));
    const unknown = renderFocalPointMail(aFocalPointMail({ daysLeft: undefined }));

    expect(today.subject).toBe('Reminder – GRC-C2-2026 (Greece): Desk review deadline today');
    expect(unknown.text).toContain('of country review GRC-C2-2026 is approaching.');
    expect(unknown.text).not.toContain('Days remaining');
  });

  it('lists the States still owing in a reminder, not every responsible State', () => {
    const mail = renderFocalPointMail(
      aFocalPointMail({ responsibleStates: ['AUT', 'BRA'], owingStates: ['AUT'] }),
    );

    expect(mail.text).toContain('States still owing a submission: Austria\n');
    expect(mail.text).not.toContain('Brazil');
  });

  it("names the stage and its outcome in the process's own words, and shows a stage they do not name as its id", () => {
    const french = renderFocalPointMail(aFocalPointMail({ language: 'fr' }));
    const custom = renderFocalPointMail(aFocalPointMail({ language: 'fr', stage: 'country_visit' }));

    expect(french.text).toContain('Examen sur dossier');
    expect(french.text).toContain('observations écrites transmises');
    expect(french.text).not.toContain('written feedback sent');
    expect(custom.text).toContain('country_visit');
  });

  it("uses another process's words: UNCAC's stage, outcome, Convention and review cycle", () => {
    const mail = renderFocalPointMail(
      aFocalPointMail({
        language: 'fr',
        words: UNCAC_TEXT,
        stage: 'country_report',
        instruments: ['UNCAC'],
        cluster: 2,
      }),
    );

    expect(mail.subject).toContain('Rapport de pays et résumé analytique');
    expect(mail.text).toContain("rapport d'examen de pays et résumé analytique approuvés");
    expect(mail.text).toContain('Convention contre la corruption');
    expect(mail.text).toContain("Cycle d'examen");
    expect(mail.text).not.toContain('Groupe thématique');
  });

  it('translates the instruments and leaves an unknown one as its code', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ language: 'zh', instruments: ['SOM', 'XYZ'] }));

    expect(mail.text).toContain('《偷运移民议定书》、XYZ');
  });

  it('has a translation of every UNTOC stage and of its outcome, in every language', () => {
    const ids = STAGES.map((s) => s.id).sort();
    for (const language of LANGUAGES) {
      expect(Object.keys(UNTOC_TEXT[language].stages).sort()).toEqual(ids);
      expect(Object.keys(UNTOC_TEXT[language].closes).sort()).toEqual(ids);
    }
  });

  it('tells a State that must act, one that has submitted and one with nothing to do where it stands', () => {
    const notice = (recipientState: string) =>
      renderFocalPointMail(aFocalPointMail({ kind: 'stage_notice', recipientState, owingStates: ['AUT'] }))
        .text;

    expect(notice('AUT')).toContain(
      'Your State is among those asked to act in this stage. We would be grateful if the work could be completed by the deadline indicated.',
    );
    expect(notice('BRA')).toContain("The Secretariat has received your State's submission for this stage");
    expect(notice('GRC')).toContain('No action is requested from your State in this stage');
  });

  it('names only the review and its own participants, each by name', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ kind: 'overdue_notice', daysOverdue: 2 }));

    const codes = new Set(mail.text.replaceAll('GRC-C2-2026', '').match(/\b[A-Z]{3}\b/g));

    expect([...codes].sort()).toEqual(['AUT', 'BRA', 'GRC']);
    expect(mail.text).toContain('State under review: Greece (GRC)\nYour State: Austria (AUT)\n');
  });

  it('keeps a courteous, non-punitive tone in English', () => {
    for (const kind of KINDS) {
      for (const outcome of ['approved', 'declined'] as const) {
        const mail = renderFocalPointMail(
          aFocalPointMail({
            kind,
            daysOverdue: 40,
            previousDeadline: '2027-05-01',
            extensionDecision: anExtensionDecision({ outcome }),
            respondUrl: RESPOND_URL,
          }),
        );

        expect(`${mail.subject}\n${mail.text}`).not.toMatch(
          /\b(late|fail\w*|penalt\w*|sanction\w*|overdue|non-?complian\w*|breach\w*|refus\w*|reject\w*)\b/i,
        );
      }
    }
  });

  it('greets formally in every language, and without a name when none is known', () => {
    const greeting = (language: Language, recipientName: string) =>
      renderFocalPointMail(aFocalPointMail({ language, recipientName })).text.split('\n\n').slice(0, 2);

    expect(greeting('en', 'Maria Huber')[0]).toBe('Dear Maria Huber,');
    expect(greeting('fr', 'Maria Huber')).toEqual(["À l'attention de Maria Huber", 'Madame, Monsieur,']);
    // Elided before a vowel or a mute h, as French writes it.
    expect(greeting('fr', 'Eleni Papadopoulou')[0]).toBe("À l'attention d'Eleni Papadopoulou");
    expect(greeting('fr', 'Hélène Dubois')[0]).toBe("À l'attention d'Hélène Dubois");
    expect(greeting('es', 'Maria Huber')[0]).toBe('Estimado/a Sr./Sra. Maria Huber:');
    expect(greeting('ru', 'Maria Huber')[0]).toBe('Уважаемый(-ая) Maria Huber!');
    expect(greeting('zh', 'Maria Huber')[0]).toBe('尊敬的Maria Huber：');
    expect(greeting('ar', 'Maria Huber')[0]).toBe('السيد/السيدة Maria Huber المحترم/المحترمة،');
    expect(greeting('en', ' ')[0]).toBe('Dear colleague,');
    expect(greeting('fr', '')[0]).toBe('Madame, Monsieur,');
  });

  it('names the contact in a closing line, with or without a name', () => {
    const named = renderFocalPointMail(aFocalPointMail());
    const unnamed = renderFocalPointMail(aFocalPointMail({ contact: { email: 'untoc@un.example' } }));

    expect(named.text).toContain(
      'For any question, please reply to this message or write to Jane Doe (jane.doe@un.example) at the Secretariat.\n\nKind regards,',
    );
    expect(unnamed.text).toContain(
      'For any question, please reply to this message or write to the Secretariat at untoc@un.example.',
    );
  });

  it('says a late stage notice is past its deadline and asks for the submission as soon as possible', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ kind: 'stage_notice', alreadyOverdue: true }));

    expect(mail.subject).toBe('GRC-C2-2026 (Greece): Desk review – deadline already passed');
    expect(mail.text).toContain('and the deadline for this stage has already passed.');
    expect(mail.text).toContain(
      "As the deadline has already passed, we would be grateful if your State's submission could be made as soon as possible.",
    );
    expect(mail.text).not.toContain('by the deadline indicated');
  });

  it('says how a deadline changed, old and new, and that the new one stands', () => {
    const change = (previousDeadline: string | null, deadline: string | null) =>
      renderFocalPointMail(aFocalPointMail({ kind: 'deadline_changed', previousDeadline, deadline }));

    const extended = change('2027-05-31', '2027-06-30');
    const shortened = change('2027-05-31', '2027-05-15');
    const set = change(null, '2027-06-30');
    const removed = change('2027-05-31', null);

    expect(extended.subject).toBe('GRC-C2-2026 (Greece): Desk review deadline extended to 30 June 2027');
    expect(extended.text).toContain('has been extended from 31 May 2027 to 30 June 2027.');
    expect(extended.text).toContain(
      'The new deadline (30 June 2027, end of day, Vienna time) replaces the previous one.',
    );
    expect(extended.text).toContain('Previous deadline: 31 May 2027, end of day, Vienna time');
    expect(extended.text).toContain('New deadline: 30 June 2027, end of day, Vienna time');
    expect(extended.text).toContain('could be made by the new deadline');
    expect(shortened.subject).toContain('brought forward to 15 May 2027');
    expect(shortened.text).toContain('has been brought forward from 31 May 2027 to 15 May 2027.');
    expect(set.text).toContain('has been set for 30 June 2027.');
    expect(set.text).not.toContain('Previous deadline');
    expect(removed.subject).toContain('deadline removed');
    expect(removed.text).toContain('no longer has a deadline.');
    expect(removed.text).toContain('New deadline: none');
  });

  it('says nothing is due while paused, shows no deadline, and names no reason', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ kind: 'paused' }));

    expect(mail.subject).toBe('GRC-C2-2026 (Greece): review paused – Desk review');
    expect(mail.text).toContain('Nothing is due while the review is paused');
    expect(mail.text).toContain('When the review resumes, you will receive a notice with the deadline');
    expect(mail.text).not.toMatch(/Deadline:|Reason/);
    expect(mail.text).not.toContain('States still owing');
  });

  it('gives the resumed review its deadline, and the old one when it moved', () => {
    const moved = renderFocalPointMail(
      aFocalPointMail({ kind: 'resumed', previousDeadline: '2027-05-31', deadline: '2027-06-14' }),
    );
    const kept = renderFocalPointMail(
      aFocalPointMail({ kind: 'resumed', previousDeadline: '2027-05-31', deadline: '2027-05-31' }),
    );

    expect(moved.subject).toBe('GRC-C2-2026 (Greece): review resumed – Desk review, deadline 14 June 2027');
    expect(moved.text).toContain('The deadline for this stage has moved from 31 May 2027 to 14 June 2027.');
    expect(moved.text).toContain('Previous deadline: 31 May 2027');
    expect(moved.text).toContain('Deadline: 14 June 2027, end of day, Vienna time');
    expect(kept.text).toContain('The deadline for this stage remains 31 May 2027.');
    expect(kept.text).not.toContain('Previous deadline');
  });

  it('tells an expert they receive a copy for their State, and leaves the action to the focal point', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ kind: 'stage_notice', recipientRole: 'expert' }));

    expect(mail.text).toContain(
      "Your State is among those asked to act in this stage. Your State's focal point coordinates its submission; this copy is for your information.",
    );
    expect(mail.text).toContain('You receive this copy as a governmental expert of your State (Austria)');
    expect(mail.text).not.toContain('We would be grateful');
  });

  it('escapes every interpolated value in the HTML', () => {
    const hostile = '<script>alert(1)</script> & "x"';

    const mail = renderFocalPointMail(
      aFocalPointMail({
        recipientName: hostile,
        reference: `GRC-<img src=x onerror=alert(1)>`,
        stage: '<b>stage</b>',
        words: { ...UNTOC_TEXT, en: { ...UNTOC_TEXT.en, closes: { '<b>stage</b>': "it's <i>done</i>" } } },
        instruments: ['<u>'],
        contact: { name: '<em>Jane</em>', email: 'j@x.example' },
      }),
    );

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).not.toContain('<i>');
    expect(mail.html).not.toContain('<u>');
    expect(mail.html).not.toContain('<em>');
    expect(mail.html).not.toContain('"x"');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(mail.html).toContain('it&#39;s &lt;i&gt;done&lt;/i&gt;');
    expect(mail.text).toContain(hostile);
  });

  it('keeps the subject on one line whatever the input holds', () => {
    const mail = renderFocalPointMail(
      aFocalPointMail({ reference: 'GRC-C2-2026\r\nBcc: x@example.org', stage: 'a\u2028b' }),
    );

    expect(mail.subject).toBe('Reminder – GRC-C2-2026 Bcc: x@example.org (Greece): a b deadline in 7 days');
  });

  it('shows a malformed deadline as none instead of failing the send', () => {
    const mail = renderFocalPointMail(aFocalPointMail({ kind: 'stage_notice', deadline: '' }));

    expect(mail.text).toContain('Deadline: none');
    expect(mail.text).toContain('Your State is among those asked to act in this stage.\n');
  });
});

describe('renderFocalPointMail, extension decision', () => {
  /** Austria asked for 30 June; the deadline was 31 May. */
  const decision = (
    outcome: 'approved' | 'declined',
    overrides: Partial<Parameters<typeof anExtensionDecision>[0]> = {},
    language: Language = 'en',
  ) =>
    renderFocalPointMail(
      aFocalPointMail({
        kind: 'extension_decision',
        language,
        owingStates: ['AUT'],
        deadline: outcome === 'approved' ? '2027-06-30' : '2027-05-31',
        previousDeadline: outcome === 'approved' ? '2027-05-31' : undefined,
        extensionDecision: anExtensionDecision({ outcome, ...overrides }),
      }),
    );

  it('tells the State its request was granted, from when, the new deadline and that the calendar follows', () => {
    const mail = decision('approved');

    expect(mail.subject).toBe('GRC-C2-2026 (Greece): extension granted, new deadline 30 June 2027');
    // Asked at 22:30 UTC on 11 May: 12 May in Vienna.
    expect(mail.text).toContain(
      "Your State's request of 12 May 2027 to extend the deadline for the Desk review stage of country review GRC-C2-2026 has been granted. The new deadline is 30 June 2027, end of day, Vienna time; the attached calendar entry has been updated accordingly.",
    );
    expect(mail.text).toContain(
      [
        'States still owing a submission: Austria',
        'Deadline requested: 30 June 2027, end of day, Vienna time',
        'Previous deadline: 31 May 2027, end of day, Vienna time',
        'New deadline: 30 June 2027, end of day, Vienna time',
      ].join('\n'),
    );
    expect(mail.text).toContain(
      "We would be grateful if your State's submission could be made by the new deadline.",
    );
    expect(mail.text).toContain(
      "\n\nThe Secretariat's reason: “The national consultation on the feedback ends in June.”\n\nReview: GRC-C2-2026\n",
    );
  });

  it('tells the State its request could not be granted, courteously, and that the deadline stands', () => {
    const mail = decision('declined', { reason: 'The working group meets on 1 June.' });

    expect(mail.subject).toBe('GRC-C2-2026 (Greece): extension request not granted');
    expect(mail.text).toContain(
      "The Secretariat regrets that it has not been able to grant your State's request of 12 May 2027 to extend the deadline for the Desk review stage of country review GRC-C2-2026. The deadline remains 31 May 2027, end of day, Vienna time.",
    );
    expect(mail.text).toContain("The Secretariat's reason: “The working group meets on 1 June.”");
    expect(mail.text).toContain(
      'Deadline requested: 30 June 2027, end of day, Vienna time\nDeadline: 31 May 2027, end of day, Vienna time\n',
    );
    expect(mail.text).not.toMatch(/New deadline|Previous deadline|calendar entry/);
    expect(mail.text).toContain(
      "Should any assistance be needed with your State's submission, the Secretariat will be glad to help.",
    );
    expect(mail.text).not.toContain('We would be grateful');
  });

  it.each(LANGUAGES)('in %s names the outcome in the subject and quotes the reason', (language) => {
    const s = MESSAGES[language];
    const stage = UNTOC_TEXT[language].stages.desk_review ?? '';
    const on = formatDate('2027-05-12', language);

    const granted = decision('approved', {}, language);
    const declined = decision('declined', {}, language);

    expect(granted.subject).toContain('GRC-C2-2026');
    expect(granted.subject).toContain(formatDate('2027-06-30', language));
    expect(declined.subject).toContain('GRC-C2-2026');
    expect(declined.subject).not.toBe(granted.subject);
    expect(declined.subject).not.toContain('2027');
    expect(granted.text).toContain(s.body.extensionGranted('GRC-C2-2026', stage, on));
    expect(granted.text).toContain(
      s.body.extensionNewDeadline(formatDeadline('2027-06-30', language, 'Europe/Vienna')),
    );
    expect(declined.text).toContain(s.body.extensionDeclined('GRC-C2-2026', stage, on));
    expect(declined.text).toContain(
      s.body.extensionDeadlineRemains(formatDeadline('2027-05-31', language, 'Europe/Vienna')),
    );
    for (const mail of [granted, declined]) {
      expect(mail.text).toContain(s.body.extensionReason(anExtensionDecision().reason));
      expect(mail.text).toContain(`${s.labels.requestedDeadline}${s.colon}`);
    }
    if (language !== 'en') {
      expect(granted.subject).not.toContain('granted');
      expect(declined.text).not.toContain(MESSAGES.en.body.extensionDeclinedNote);
    }
  });

  it('quotes the reason as written, on one line in text and escaped in HTML', () => {
    const mail = decision('declined', { reason: 'Not "now" <b>please</b> & sorry\r\nsee you' });

    expect(mail.text).toContain('The Secretariat\'s reason: “Not "now" <b>please</b> & sorry see you”');
    expect(mail.html).toContain(
      'The Secretariat&#39;s reason: “Not &quot;now&quot; &lt;b&gt;please&lt;/b&gt; &amp; sorry see you”',
    );
    expect(mail.html).not.toContain('<b>');
  });

  it('leaves out a blank reason and a request date it cannot read', () => {
    const mail = decision('approved', { reason: ' \n ', requestedAt: 'yesterday' });

    expect(mail.text).not.toContain('reason');
    expect(mail.text).toContain("Your State's request to extend the deadline for the Desk review stage");
    expect(mail.text).not.toMatch(/Invalid|NaN|undefined/);
  });

  it('gives an expert the news for information, asking nothing', () => {
    const mail = renderFocalPointMail(
      aFocalPointMail({
        kind: 'extension_decision',
        recipientRole: 'expert',
        extensionDecision: anExtensionDecision({ outcome: 'declined' }),
      }),
    );

    expect(mail.text).toContain(
      "Your State's focal point coordinates its submission; this copy is for your information.",
    );
    expect(mail.text).not.toContain('Should any assistance be needed');
  });

  it('refuses an extension decision mail without the decision: there is nothing true to say', () => {
    expect(() => renderFocalPointMail(aFocalPointMail({ kind: 'extension_decision' }))).toThrow(
      /extensionDecision/,
    );
  });
});

describe('renderFocalPointMail, personal link', () => {
  const withLink = (overrides: Parameters<typeof aFocalPointMail>[0] = {}) =>
    renderFocalPointMail(aFocalPointMail({ respondUrl: RESPOND_URL, ...overrides }));

  it('offers a focal point whose State owes every action, on its own line before the thanks', () => {
    const mail = withLink();

    expect(mail.text).toContain(
      [
        'To acknowledge this message, to tell the Secretariat that your State has sent its submission, or to ask for an extension, open your personal page:',
        RESPOND_URL,
        '',
        'This link is personal to you: please do not forward this message.',
        '',
        'Thank you for your cooperation.',
      ].join('\n'),
    );
  });

  it('offers an expert, and a focal point whose State owes nothing, only an acknowledgement', () => {
    const expert = withLink({ recipientRole: 'expert' });
    const submitted = withLink({ kind: 'stage_notice', owingStates: ['BRA'] });
    const notResponsible = withLink({ kind: 'stage_notice', recipientState: 'GRC' });

    for (const mail of [expert, submitted, notResponsible]) {
      expect(mail.text).toContain(`To acknowledge receipt, open your personal page:\n${RESPOND_URL}\n`);
      expect(mail.text).not.toContain('ask for an extension');
    }
  });

  it('links the label in HTML, with the address escaped in the attribute and nowhere else', () => {
    const mail = withLink();

    expect(mail.html).toContain(
      'open your personal page:<br><a href="https://tracker.example/respond/q7x_k2-w9zp4m?v=1&amp;lang=en" style="color:#0b57d0;font-weight:bold">Open your page</a></p>',
    );
    expect(mail.html).not.toContain(RESPOND_URL);
    expect(mail.html.match(/<a /g)).toHaveLength(1);
  });

  it('cannot be made to break out of the attribute', () => {
    const mail = withLink({ respondUrl: 'https://tracker.example/respond/a"onmouseover="x<b>' });

    expect(mail.html).toContain(
      '<a href="https://tracker.example/respond/a&quot;onmouseover=&quot;x&lt;b&gt;"',
    );
    expect(mail.html).not.toContain('"onmouseover');
  });

  it('accepts the http address of local mode', () => {
    const mail = withLink({ respondUrl: 'http://127.0.0.1:3000/respond/abc' });

    expect(mail.text).toContain('\nhttp://127.0.0.1:3000/respond/abc\n');
    expect(mail.html).toContain('<a href="http://127.0.0.1:3000/respond/abc"');
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'mailto:jane.doe@un.example',
    'ftp://tracker.example/respond/abc',
    '/respond/abc',
    'https:tracker.example/respond/abc',
    'https://tracker.example/respond/a b',
    'https://tracker.example/respond/abc\r\nBcc: x@example.org',
    'https://tracker.example/respond/\u202eabc',
    '',
  ])('refuses %j, without repeating it in the error', (respondUrl) => {
    // The message is fixed: an address may hold a personal token, and errors are logged.
    expect(() => withLink({ respondUrl })).toThrow(
      /^a mail link must be an absolute http\(s\) URL without spaces or control characters$/,
    );
  });

  it.each(KINDS)('adds to a %s only the link and its note: the rest is unchanged', (kind) => {
    const base = aFocalPointMail({
      kind,
      extensionDecision: anExtensionDecision(),
      previousDeadline: '2027-05-01',
    });
    const s = MESSAGES.en;

    const without = renderFocalPointMail(base);
    const linked = renderFocalPointMail({ ...base, respondUrl: RESPOND_URL });

    const lead = linked.text.includes(s.respond.act) ? s.respond.act : s.respond.acknowledge;
    expect(linked.text.replace(`${lead}\n${RESPOND_URL}\n\n${s.respond.personal}\n\n`, '')).toBe(
      without.text,
    );
    expect(linked.html.replace(/\n<p [^>]*>[^\n]*<a href[^\n]*\n<p [^>]*>[^<]*<\/p>/, '')).toBe(without.html);
    expect(linked.subject).toBe(without.subject);
  });
});

describe('calendarText', () => {
  const entry = {
    language: 'en' as const,
    reference: 'GRC-C2-2026',
    stateUnderReview: 'GRC',
    stage: 'self_assessment',
    words: UNTOC_TEXT,
    deadline: '2027-07-01',
    timeZone: 'Europe/Vienna',
    contact: { name: 'Jane Doe', email: 'jane.doe@un.example' },
  };

  it('titles the entry with the reference and the translated stage', () => {
    expect(calendarText(entry).summary).toBe('GRC-C2-2026: Self-assessment deadline');
    expect(calendarText({ ...entry, language: 'fr' }).summary).toBe(
      "GRC-C2-2026\u00a0: date limite de l'étape «\u00a0Auto-évaluation\u00a0»",
    );
    expect(calendarText({ ...entry, language: 'zh' }).summary).toBe('GRC-C2-2026：“自评”阶段截止日期');
  });

  it('describes the stage, what closes it, the deadline with its basis and the contact, with no count that freezes', () => {
    const { description } = calendarText(entry);

    expect(description).toBe(
      [
        'Review: GRC-C2-2026',
        'State under review: Greece (GRC)',
        'Stage: Self-assessment',
        'Expected outcome: self-assessment questionnaire answered',
        'Deadline: 1 July 2027, end of day, Vienna time',
        'Contact at the Secretariat: Jane Doe (jane.doe@un.example)',
      ].join('\n'),
    );
    for (const language of LANGUAGES) {
      const text = calendarText({ ...entry, language }).description;
      expect(text).not.toContain(MESSAGES[language].days(12));
      expect(text).not.toMatch(/\b\d+ (days?|jours?|días?|дн)/);
    }
  });

  it('gives a custom stage no outcome line and an address-only contact', () => {
    const { description } = calendarText({
      ...entry,
      stage: 'country_visit',
      contact: { email: 'u@un.example' },
    });

    expect(description).toContain('Stage: country_visit\nDeadline:');
    expect(description).toContain('Contact at the Secretariat: u@un.example');
  });
});

describe('renderSecretariatMail', () => {
  it('names the review, stage, the States still owing and days overdue of an escalation', () => {
    const mail = renderSecretariatMail(anEscalation());

    expect(mail.subject).toBe('Escalation 2: GRC-C2-2026 (Greece), Desk review 14 days past its deadline');
    expect(mail.text).toContain('Review: GRC-C2-2026\nAPI id: 0b9e6a52-5d55-4a57-9a43-1f4b0e2c9d11\n');
    expect(mail.text).toContain('States still owing: Brazil (BRA)');
    expect(mail.text).toContain('Deadline: 31 May 2027, end of day, Vienna time');
    expect(mail.text).toContain('Days overdue: 14');
    expect(mail.text).toContain('one State still owes its submission');
  });

  it('lists the reminders to the States still owing with local times and delivery status', () => {
    const mail = renderSecretariatMail(anEscalation());

    expect(mail.text).toContain(
      '- Kind: reminder; Due: 17 May 2027, 09:00 Vienna time; Recipient: Brazil; Status: sent',
    );
    expect(mail.text).toContain(
      '- Kind: reminder; Due: 24 May 2027, 09:00 Vienna time; Recipient: Brazil, expert; Status: skipped (address undeliverable)',
    );
    expect(mail.text).toContain(
      '- Kind: overdue notice; Due: 1 Jun 2027, 09:00 Vienna time; Recipient: Brazil; Status: failed',
    );
    expect(mail.text).toContain('Recipient: -; Status: queued');
    expect(mail.text).not.toContain('e-1');
    const tbody = mail.html.match(/<tbody>(.*?)<\/tbody>/s)?.[1] ?? '';
    expect(tbody.match(/<tr>/g)).toHaveLength(4);
    expect(tbody).toContain('skipped (address undeliverable)');
  });

  it('says so when no reminder was sent, and shows a due time it cannot read as unknown', () => {
    const none = renderSecretariatMail(anEscalation({ reminders: [] }));
    const odd = renderSecretariatMail(
      anEscalation({ reminders: [{ kind: 'reminder', dueAt: 'x', recipient: 'BRA', status: 'sent' }] }),
    );

    expect(none.text).toContain('No reminder was sent for this stage.');
    expect(none.html).toContain('No reminder was sent for this stage.');
    expect(odd.text).toContain('Due: unknown');
  });

  it('escapes reminder fields in the HTML table', () => {
    const mail = renderSecretariatMail(
      anEscalation({
        reminders: [{ kind: 'reminder', dueAt: 'x', recipient: '<AUT>', status: 'sent', reason: '"a" & b' }],
      }),
    );

    expect(mail.html).toContain('&lt;AUT&gt;');
    expect(mail.html).toContain('sent (&quot;a&quot; &amp; b)');
  });

  it('names the State without a focal point', () => {
    const mail = renderSecretariatMail(aNoFocalPoint());

    expect(mail.subject).toBe('No focal point for Brazil (BRA): GRC-C2-2026, Desk review');
    expect(mail.text).toContain('Brazil (BRA) has no focal point registered in review GRC-C2-2026');
    expect(mail.text).toContain('the reminder for the Desk review stage could not be sent');
    expect(mail.text).toContain('State under review: Greece (GRC)');
    expect(mail.text).toContain('PUT /reviews/0b9e6a52-5d55-4a57-9a43-1f4b0e2c9d11/focal-points/BRA');
  });

  it('names a notification kind it has not seen before in words', () => {
    const mail = renderSecretariatMail(
      aNoFocalPoint({ notificationKind: 'deadline_changed' as never, deadline: null }),
    );

    expect(mail.text).toContain('Notification: deadline changed');
    expect(mail.text).toContain('Deadline: none');
  });

  it('reports an undeliverable address without ever putting the address in the subject', () => {
    const mail = renderSecretariatMail(anUndeliverable());

    expect(mail.subject).toBe('Undeliverable focal point address (bounce): Brazil, GRC-C2-2026');
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain('joao.silva');
    expect(mail.text).toContain('j***@itamaraty.example');
    expect(mail.text).toContain('a permanent bounce');
    expect(mail.text).toContain('State: Brazil (BRA)');
  });

  it('reports a complaint for an address it cannot tie to a review', () => {
    const mail = renderSecretariatMail({
      kind: 'undeliverable',
      reason: 'complaint',
      addressHint: 'a***@x.example',
    });

    expect(mail.subject).toBe('Undeliverable focal point address (complaint)');
    expect(mail.text).toContain('Review: unknown');
    expect(mail.text).not.toContain('API id');
    expect(mail.text).toContain('a***@x.example');
  });

  it('tells the Secretariat every submission is in, when each arrived, and where the review may go', () => {
    const mail = renderSecretariatMail(
      allSubmissionsReceived({ nextStages: ['observations', 'desk_review'] }),
    );

    expect(mail.subject).toBe('All submissions received: GRC-C2-2026, Desk review');
    expect(mail.text).toContain('- State: Austria (AUT); Received: 20 May 2027');
    // Received at 23:30 UTC on 1 March: 2 March in Vienna.
    expect(mail.text).toContain('- State: Brazil (BRA); Received: 2 March 2027');
    expect(mail.text).toContain('You may now move the review on to List of observations or Desk review');
    expect(mail.html).toContain('<caption');
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
