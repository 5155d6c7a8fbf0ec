import type { Language } from '#shared/domain/review.ts';

/**
 * Focal-point mail strings in the six UN languages. Terms follow the Review Mechanism's own
 * documents (country review, State party under review, focal point, cluster, list of
 * observations). The tone is courteous and non-punitive: the Mechanism is non-ranking, so a
 * reminder helps and offers the Secretariat's support; it never blames.
 *
 * States never sit inside a sentence: their names come from CLDR without articles or cases
 * ("Grèce", not "la Grèce"; Russian "Австрия" in the nominative), so a sentence would read
 * "l'examen de Grèce" or "координатор от Австрия". Sentences name the review by its reference
 * and say "your State"; the States themselves stand in the table and in brackets.
 */

/** How a deadline moved: later, earlier, set where there was none, or taken away. */
export type DeadlineChange = 'extended' | 'brought_forward' | 'set' | 'removed';

/** What the Secretariat decided on a State's request for more time. */
export type ExtensionOutcome = 'approved' | 'declined';

/**
 * Every string one language needs. `ref` is the review's reference, `sur` the name of the State
 * under review, `stage` the stage's name; dates in sentences are dates alone (`31 May 2027`),
 * `deadline` a deadline with its basis. `days` is a count as it reads after "in" or "ago".
 */
export interface FocalPointStrings {
  days: (n: number) => string;
  listSeparator: string;
  /** Between sentences of one paragraph (Chinese puts none). */
  sentenceSeparator: string;
  /** Between a label and its value in text. */
  colon: string;
  none: string;
  /** The salutation, a paragraph each; `name` is empty when none is known. */
  greeting: (name: string) => string[];
  subject: {
    stage_notice: (ref: string, sur: string, stage: string) => string;
    /** A stage notice made after the stage's deadline (a focal point registered late). */
    stage_notice_passed: (ref: string, sur: string, stage: string) => string;
    reminder: (ref: string, sur: string, stage: string, days: number | undefined) => string;
    overdue_notice: (ref: string, sur: string, stage: string) => string;
    /** `date` is the new date, empty when the deadline was removed. */
    deadline_changed: (
      ref: string,
      sur: string,
      stage: string,
      change: DeadlineChange,
      date: string,
    ) => string;
    paused: (ref: string, sur: string, stage: string) => string;
    /** `date` is the deadline that applies after the resumption, if any. */
    resumed: (ref: string, sur: string, stage: string, date: string | undefined) => string;
    /** `date` is the new deadline when approved, empty when there is none. */
    extension_decision: (ref: string, sur: string, outcome: ExtensionOutcome, date: string) => string;
  };
  body: {
    stage_notice: (ref: string, stage: string) => string;
    stage_notice_passed: (ref: string, stage: string) => string;
    reminder: (ref: string, stage: string, days: number | undefined) => string;
    overdue_notice: (ref: string, stage: string, days: number | undefined) => string;
    /** `from` is empty for `set`; `to` is empty for `removed`. */
    deadline_changed: (
      ref: string,
      stage: string,
      change: DeadlineChange,
      from: string,
      to: string,
    ) => string;
    /** The new deadline replaces the old one. */
    newDeadlineStands: (deadline: string) => string;
    paused: (ref: string, stage: string) => string;
    pausedNote: string;
    resumed: (ref: string, stage: string) => string;
    resumedMoved: (from: string, to: string) => string;
    resumedUnchanged: (date: string) => string;
    resumedDeadline: (date: string) => string;
    /** The recipient's State must act in the stage. */
    mustAct: string;
    byDeadline: string;
    /** The deadline had passed before the notice was made. */
    asSoonAsPossible: string;
    byNewDeadline: string;
    /** To a governmental expert: the focal point acts; this copy informs. */
    expertCopy: string;
    /** The recipient's State is responsible but has submitted. */
    submitted: string;
    /** The recipient's State has nothing to do in the stage. */
    info: string;
    reminderNote: string;
    overdueNote: string;
    /** The State's request for more time was granted; `on` is the date it was made, empty if unknown. */
    extensionGranted: (ref: string, stage: string, on: string) => string;
    /** After a granted request: the new deadline, and that the calendar entry follows it. */
    extensionNewDeadline: (deadline: string) => string;
    /** The request could not be granted; `on` as for `extensionGranted`. */
    extensionDeclined: (ref: string, stage: string, on: string) => string;
    extensionDeadlineRemains: (deadline: string) => string;
    /** The Secretariat's reason, quoted as it wrote it. */
    extensionReason: (reason: string) => string;
    /** To the focal point after a declined request: help is on offer, nothing is demanded. */
    extensionDeclinedNote: string;
  };
  /** The personal link to the focal-point page (`/respond/<token>`), DESIGN §10. */
  respond: {
    /** To a focal point whose State owes a submission: every action the page offers. */
    act: string;
    /** To an expert, or a focal point whose State owes nothing: the page only takes an acknowledgement. */
    acknowledge: string;
    /** The anchor's text in HTML. */
    label: string;
    /** The link is the recipient's own. */
    personal: string;
  };
  /** The closing line naming whom to ask; `name` is empty when only an address is known. */
  contact: (name: string, email: string) => string;
  labels: {
    review: string;
    stateUnderReview: string;
    yourState: string;
    cluster: string;
    instruments: string;
    stage: string;
    outcome: string;
    responsible: string;
    owing: string;
    deadline: string;
    newDeadline: string;
    previousDeadline: string;
    daysLeft: string;
    daysSince: string;
    contact: string;
    requestedDeadline: string;
  };
  /** The calendar entry's title. */
  calendarSummary: (ref: string, stage: string) => string;
  thanks: string;
  signOff: string[];
  footer: string;
  /** To a governmental expert; `state` is the name of the State they serve. */
  footerExpert: (state: string) => string;
}

/** Picks a plural form with the language's CLDR rules. */
function plural(language: Language, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }) {
  const rules = new Intl.PluralRules(language);
  return (n: number): string => (forms[rules.select(n)] ?? forms.other).replace('#', String(n));
}

const en: FocalPointStrings = {
  days: plural('en', { one: '# day', other: '# days' }),
  listSeparator: ', ',
  sentenceSeparator: ' ',
  colon: ': ',
  none: 'none',
  greeting: (name) => [name ? `Dear ${name},` : 'Dear colleague,'],
  subject: {
    stage_notice: (ref, sur, stage) => `${ref} (${sur}): new stage – ${stage}`,
    stage_notice_passed: (ref, sur, stage) => `${ref} (${sur}): ${stage} – deadline already passed`,
    reminder: (ref, sur, stage, days) =>
      `Reminder – ${ref} (${sur}): ${stage} deadline ${days === undefined ? 'approaching' : days === 0 ? 'today' : `in ${en.days(days)}`}`,
    overdue_notice: (ref, sur, stage) => `${ref} (${sur}): ${stage} deadline has passed`,
    deadline_changed: (ref, sur, stage, change, date) =>
      `${ref} (${sur}): ${stage} deadline ${{ extended: `extended to ${date}`, brought_forward: `brought forward to ${date}`, set: `set for ${date}`, removed: 'removed' }[change]}`,
    paused: (ref, sur, stage) => `${ref} (${sur}): review paused – ${stage}`,
    resumed: (ref, sur, stage, date) =>
      `${ref} (${sur}): review resumed – ${stage}${date ? `, deadline ${date}` : ''}`,
    extension_decision: (ref, sur, outcome, date) =>
      outcome === 'approved'
        ? `${ref} (${sur}): extension granted${date ? `, new deadline ${date}` : ''}`
        : `${ref} (${sur}): extension request not granted`,
  },
  body: {
    stage_notice: (ref, stage) => `Country review ${ref} has entered a new stage: ${stage}.`,
    stage_notice_passed: (ref, stage) =>
      `Country review ${ref} is in the ${stage} stage, and the deadline for this stage has already passed.`,
    reminder: (ref, stage, days) =>
      `This is a courtesy reminder that the deadline for the ${stage} stage of country review ${ref} ${days === undefined ? 'is approaching' : days === 0 ? 'is today' : `is in ${en.days(days)}`}.`,
    overdue_notice: (ref, stage, days) =>
      `The deadline for the ${stage} stage of country review ${ref} has passed${days === undefined ? '' : ` (${en.days(days)} ago)`}.`,
    deadline_changed: (ref, stage, change, from, to) =>
      change === 'removed'
        ? `The ${stage} stage of country review ${ref} no longer has a deadline.`
        : `The deadline for the ${stage} stage of country review ${ref} has been ${{ extended: `extended from ${from} to ${to}`, brought_forward: `brought forward from ${from} to ${to}`, set: `set for ${to}` }[change]}.`,
    newDeadlineStands: (deadline) => `The new deadline (${deadline}) replaces the previous one.`,
    paused: (ref, stage) =>
      `Country review ${ref} has been paused during the ${stage} stage. Nothing is due while the review is paused: no deadline runs and no reminders are sent.`,
    pausedNote:
      'When the review resumes, you will receive a notice with the deadline that then applies. No action is needed in the meantime.',
    resumed: (ref, stage) => `Country review ${ref} has resumed in the ${stage} stage.`,
    resumedMoved: (from, to) => `The deadline for this stage has moved from ${from} to ${to}.`,
    resumedUnchanged: (date) => `The deadline for this stage remains ${date}.`,
    resumedDeadline: (date) => `The deadline for this stage is ${date}.`,
    mustAct: 'Your State is among those asked to act in this stage.',
    byDeadline: 'We would be grateful if the work could be completed by the deadline indicated.',
    asSoonAsPossible:
      "As the deadline has already passed, we would be grateful if your State's submission could be made as soon as possible.",
    byNewDeadline: "We would be grateful if your State's submission could be made by the new deadline.",
    expertCopy: "Your State's focal point coordinates its submission; this copy is for your information.",
    submitted:
      "The Secretariat has received your State's submission for this stage; no further action is needed.",
    info: 'No action is requested from your State in this stage; this notice is for your information.',
    reminderNote:
      'If your State has already made its submission, please disregard this message. Should more time or any assistance be needed, the Secretariat will be glad to help.',
    overdueNote:
      "We understand that delays can occur. We would be grateful if your State's submission could be made at your earliest convenience; should more time or any assistance be needed, the Secretariat will be glad to help.",
    extensionGranted: (ref, stage, on) =>
      `Your State's request${on ? ` of ${on}` : ''} to extend the deadline for the ${stage} stage of country review ${ref} has been granted.`,
    extensionNewDeadline: (deadline) =>
      `The new deadline is ${deadline}; the attached calendar entry has been updated accordingly.`,
    extensionDeclined: (ref, stage, on) =>
      `The Secretariat regrets that it has not been able to grant your State's request${on ? ` of ${on}` : ''} to extend the deadline for the ${stage} stage of country review ${ref}.`,
    extensionDeadlineRemains: (deadline) => `The deadline remains ${deadline}.`,
    extensionReason: (reason) => `The Secretariat's reason: “${reason}”`,
    extensionDeclinedNote:
      "Should any assistance be needed with your State's submission, the Secretariat will be glad to help.",
  },
  contact: (name, email) =>
    name
      ? `For any question, please reply to this message or write to ${name} (${email}) at the Secretariat.`
      : `For any question, please reply to this message or write to the Secretariat at ${email}.`,
  labels: {
    review: 'Review',
    stateUnderReview: 'State under review',
    yourState: 'Your State',
    cluster: 'Cluster',
    instruments: 'Instruments',
    stage: 'Stage',
    outcome: 'Expected outcome',
    responsible: 'Action required from',
    owing: 'States still owing a submission',
    deadline: 'Deadline',
    newDeadline: 'New deadline',
    previousDeadline: 'Previous deadline',
    daysLeft: 'Days remaining',
    daysSince: 'Days since the deadline',
    contact: 'Contact at the Secretariat',
    requestedDeadline: 'Deadline requested',
  },
  respond: {
    act: 'To acknowledge this message, to tell the Secretariat that your State has sent its submission, or to ask for an extension, open your personal page:',
    acknowledge: 'To acknowledge receipt, open your personal page:',
    label: 'Open your page',
    personal: 'This link is personal to you: please do not forward this message.',
  },
  calendarSummary: (ref, stage) => `${ref}: ${stage} deadline`,
  thanks: 'Thank you for your cooperation.',
  signOff: [
    'Kind regards,',
    'Secretariat of the Review Mechanism',
    'United Nations Office on Drugs and Crime',
  ],
  footer: 'This is an automated message sent to the focal points of this review.',
  footerExpert: (state) =>
    `This is an automated message. You receive this copy as a governmental expert of your State (${state}); your State's focal point coordinates its submissions.`,
};

/** French "de" before a name, elided before a vowel or a mute h: "de Karl", "d'Eleni", "d'Hélène". */
function frenchOf(name: string): string {
  return /^[aeiouyhàâäéèêëîïôöûüæœ]/i.test(name.normalize('NFC')) ? `d'${name}` : `de ${name}`;
}

const fr: FocalPointStrings = {
  days: plural('fr', { one: '# jour', other: '# jours' }),
  listSeparator: ', ',
  sentenceSeparator: ' ',
  colon: '\u00a0: ',
  none: 'aucun',
  // The formal salutation when the addressee's title is not known; the name goes above it.
  greeting: (name) =>
    name ? [`À l'attention ${frenchOf(name)}`, 'Madame, Monsieur,'] : ['Madame, Monsieur,'],
  subject: {
    stage_notice: (ref, sur, stage) => `Examen ${ref} (${sur})\u00a0: nouvelle étape – ${stage}`,
    stage_notice_passed: (ref, sur, stage) =>
      `Examen ${ref} (${sur})\u00a0: étape «\u00a0${stage}\u00a0», date limite déjà passée`,
    reminder: (ref, sur, stage, days) =>
      `Rappel – examen ${ref} (${sur})\u00a0: «\u00a0${stage}\u00a0», ${days === undefined ? 'échéance proche' : days === 0 ? "échéance aujourd'hui" : `échéance dans ${fr.days(days)}`}`,
    overdue_notice: (ref, sur, stage) =>
      `Examen ${ref} (${sur})\u00a0: la date limite de l'étape «\u00a0${stage}\u00a0» est dépassée`,
    deadline_changed: (ref, sur, stage, change, date) =>
      `Examen ${ref} (${sur})\u00a0: date limite de l'étape «\u00a0${stage}\u00a0» ${{ extended: `reportée au ${date}`, brought_forward: `avancée au ${date}`, set: `fixée au ${date}`, removed: 'supprimée' }[change]}`,
    paused: (ref, sur, stage) => `Examen ${ref} (${sur})\u00a0: suspension de l'examen – ${stage}`,
    resumed: (ref, sur, stage, date) =>
      `Examen ${ref} (${sur})\u00a0: reprise de l'examen – ${stage}${date ? `, date limite fixée au ${date}` : ''}`,
    extension_decision: (ref, sur, outcome, date) =>
      outcome === 'approved'
        ? `Examen ${ref} (${sur})\u00a0: demande de report acceptée${date ? `, nouvelle date limite fixée au ${date}` : ''}`
        : `Examen ${ref} (${sur})\u00a0: demande de report non retenue`,
  },
  body: {
    stage_notice: (ref, stage) =>
      `L'examen de pays ${ref} est entré dans une nouvelle étape\u00a0: ${stage}.`,
    stage_notice_passed: (ref, stage) =>
      `L'examen de pays ${ref} en est à l'étape «\u00a0${stage}\u00a0», dont la date limite est déjà passée.`,
    reminder: (ref, stage, days) =>
      `Nous nous permettons de vous rappeler que l'étape «\u00a0${stage}\u00a0» de l'examen de pays ${ref} ${days === undefined ? 'arrive bientôt à échéance' : days === 0 ? "arrive à échéance aujourd'hui" : `arrive à échéance dans ${fr.days(days)}`}.`,
    overdue_notice: (ref, stage, days) =>
      `La date limite de l'étape «\u00a0${stage}\u00a0» de l'examen de pays ${ref} est dépassée${days === undefined ? '' : ` depuis ${fr.days(days)}`}.`,
    deadline_changed: (ref, stage, change, from, to) =>
      change === 'removed'
        ? `L'étape «\u00a0${stage}\u00a0» de l'examen de pays ${ref} n'a plus de date limite.`
        : `La date limite de l'étape «\u00a0${stage}\u00a0» de l'examen de pays ${ref} a été ${{ extended: `reportée du ${from} au ${to}`, brought_forward: `avancée du ${from} au ${to}`, set: `fixée au ${to}` }[change]}.`,
    newDeadlineStands: (deadline) => `La nouvelle date limite (${deadline}) remplace la précédente.`,
    paused: (ref, stage) =>
      `L'examen de pays ${ref} a été suspendu au cours de l'étape «\u00a0${stage}\u00a0». Rien n'est attendu pendant la suspension\u00a0: aucune date limite ne court et aucun rappel n'est envoyé.`,
    pausedNote:
      "À la reprise de l'examen, vous recevrez un avis indiquant la date limite alors applicable. Aucune action n'est requise d'ici là.",
    resumed: (ref, stage) => `L'examen de pays ${ref} a repris à l'étape «\u00a0${stage}\u00a0».`,
    resumedMoved: (from, to) => `La date limite de cette étape passe du ${from} au ${to}.`,
    resumedUnchanged: (date) => `La date limite de cette étape reste fixée au ${date}.`,
    resumedDeadline: (date) => `La date limite de cette étape est fixée au ${date}.`,
    mustAct: 'Votre État fait partie des États appelés à agir au cours de cette étape.',
    byDeadline:
      "Nous vous serions reconnaissants de bien vouloir achever les travaux d'ici la date limite indiquée.",
    asSoonAsPossible:
      'La date limite étant déjà passée, nous vous serions reconnaissants de bien vouloir transmettre la contribution de votre État dans les meilleurs délais.',
    byNewDeadline:
      "Nous vous serions reconnaissants de bien vouloir transmettre la contribution de votre État d'ici la nouvelle date limite.",
    expertCopy:
      'Le point de contact de votre État coordonne sa contribution\u00a0; cet exemplaire vous est adressé pour information.',
    submitted:
      "Le secrétariat a reçu la contribution de votre État pour cette étape\u00a0; aucune autre action n'est requise.",
    info: "Aucune action n'est attendue de votre État au cours de cette étape\u00a0; ce message vous est adressé pour information.",
    reminderNote:
      'Si votre État a déjà transmis sa contribution, nous vous prions de ne pas tenir compte de ce message. Si un délai supplémentaire ou une assistance étaient nécessaires, le secrétariat se tient à votre disposition.',
    overdueNote:
      'Nous savons que des retards peuvent survenir. Nous vous serions reconnaissants de bien vouloir transmettre la contribution de votre État dès que possible\u00a0; si un délai supplémentaire ou une assistance étaient nécessaires, le secrétariat se tient à votre disposition.',
    extensionGranted: (ref, stage, on) =>
      `La demande de votre État${on ? ` en date du ${on}` : ''} tendant à reporter la date limite de l'étape «\u00a0${stage}\u00a0» de l'examen de pays ${ref} a été acceptée.`,
    extensionNewDeadline: (deadline) =>
      `La nouvelle date limite est fixée au ${deadline}\u00a0; l'entrée de calendrier jointe a été mise à jour en conséquence.`,
    extensionDeclined: (ref, stage, on) =>
      `Le secrétariat regrette de ne pas avoir été en mesure de donner suite à la demande de votre État${on ? ` en date du ${on}` : ''} tendant à reporter la date limite de l'étape «\u00a0${stage}\u00a0» de l'examen de pays ${ref}.`,
    extensionDeadlineRemains: (deadline) => `La date limite reste fixée au ${deadline}.`,
    extensionReason: (reason) => `Motif indiqué par le secrétariat\u00a0: «\u00a0${reason}\u00a0»`,
    extensionDeclinedNote:
      'Le secrétariat se tient à votre disposition pour toute assistance dont votre État pourrait avoir besoin pour sa contribution.',
  },
  contact: (name, email) =>
    name
      ? `Pour toute question, vous pouvez répondre à ce message ou écrire à ${name} (${email}), au secrétariat.`
      : `Pour toute question, vous pouvez répondre à ce message ou écrire au secrétariat (${email}).`,
  labels: {
    review: 'Examen',
    stateUnderReview: 'État partie examiné',
    yourState: 'Votre État',
    cluster: 'Groupe thématique',
    instruments: 'Instruments',
    stage: 'Étape',
    outcome: 'Résultat attendu',
    responsible: 'Action attendue de',
    owing: 'Contribution encore attendue de',
    deadline: 'Date limite',
    newDeadline: 'Nouvelle date limite',
    previousDeadline: 'Date limite précédente',
    daysLeft: 'Jours restants',
    daysSince: 'Jours écoulés depuis la date limite',
    contact: 'Contact au secrétariat',
    requestedDeadline: 'Date limite demandée',
  },
  respond: {
    act: 'Pour accuser réception de ce message, informer le secrétariat que votre État a transmis sa contribution ou demander un report de la date limite, veuillez ouvrir votre page personnelle\u00a0:',
    acknowledge: 'Pour accuser réception de ce message, veuillez ouvrir votre page personnelle\u00a0:',
    label: 'Ouvrir votre page',
    personal: 'Ce lien vous est personnel\u00a0: nous vous prions de ne pas transférer ce message.',
  },
  calendarSummary: (ref, stage) => `${ref}\u00a0: date limite de l'étape «\u00a0${stage}\u00a0»`,
  thanks: 'Nous vous remercions de votre coopération.',
  signOff: [
    "Veuillez agréer, Madame, Monsieur, l'expression de notre considération distinguée.",
    "Secrétariat du Mécanisme d'examen",
    'Office des Nations Unies contre la drogue et le crime',
  ],
  footer: 'Ce message automatique est adressé aux points de contact de cet examen.',
  footerExpert: (state) =>
    `Ce message automatique vous est adressé en qualité d'expert gouvernemental de votre État (${state})\u00a0; le point de contact de votre État coordonne ses contributions.`,
};

const es: FocalPointStrings = {
  days: plural('es', { one: '# día', other: '# días' }),
  listSeparator: ', ',
  sentenceSeparator: ' ',
  colon: ': ',
  none: 'ninguno',
  greeting: (name) => [name ? `Estimado/a Sr./Sra. ${name}:` : 'Estimado/a Sr./Sra.:'],
  subject: {
    stage_notice: (ref, sur, stage) => `Examen ${ref} (${sur}): nueva etapa – ${stage}`,
    stage_notice_passed: (ref, sur, stage) => `Examen ${ref} (${sur}): etapa «${stage}», plazo ya vencido`,
    reminder: (ref, sur, stage, days) =>
      `Recordatorio – examen ${ref} (${sur}): «${stage}», ${days === undefined ? 'plazo próximo a vencer' : days === 0 ? 'el plazo vence hoy' : `el plazo vence dentro de ${es.days(days)}`}`,
    overdue_notice: (ref, sur, stage) => `Examen ${ref} (${sur}): ha vencido el plazo de la etapa «${stage}»`,
    deadline_changed: (ref, sur, stage, change, date) =>
      `Examen ${ref} (${sur}): plazo de la etapa «${stage}» ${{ extended: `prorrogado hasta el ${date}`, brought_forward: `adelantado al ${date}`, set: `fijado para el ${date}`, removed: 'suprimido' }[change]}`,
    paused: (ref, sur, stage) => `Examen ${ref} (${sur}): examen suspendido – ${stage}`,
    resumed: (ref, sur, stage, date) =>
      `Examen ${ref} (${sur}): examen reanudado – ${stage}${date ? `, plazo hasta el ${date}` : ''}`,
    extension_decision: (ref, sur, outcome, date) =>
      outcome === 'approved'
        ? `Examen ${ref} (${sur}): prórroga concedida${date ? `, nuevo plazo hasta el ${date}` : ''}`
        : `Examen ${ref} (${sur}): solicitud de prórroga no concedida`,
  },
  body: {
    stage_notice: (ref, stage) => `El examen de país ${ref} ha entrado en una nueva etapa: ${stage}.`,
    stage_notice_passed: (ref, stage) =>
      `El examen de país ${ref} se encuentra en la etapa «${stage}», cuyo plazo ya ha vencido.`,
    reminder: (ref, stage, days) =>
      `Le recordamos cordialmente que el plazo de la etapa «${stage}» del examen de país ${ref} ${days === undefined ? 'está próximo a vencer' : days === 0 ? 'vence hoy' : `vence dentro de ${es.days(days)}`}.`,
    overdue_notice: (ref, stage, days) =>
      `El plazo de la etapa «${stage}» del examen de país ${ref} ha vencido${days === undefined ? '' : ` (hace ${es.days(days)})`}.`,
    deadline_changed: (ref, stage, change, from, to) =>
      change === 'removed'
        ? `La etapa «${stage}» del examen de país ${ref} ya no tiene plazo.`
        : `El plazo de la etapa «${stage}» del examen de país ${ref} ${{ extended: `se ha prorrogado: vencía el ${from} y ahora vence el ${to}`, brought_forward: `se ha adelantado: vencía el ${from} y ahora vence el ${to}`, set: `se ha fijado para el ${to}` }[change]}.`,
    newDeadlineStands: (deadline) => `El nuevo plazo (${deadline}) sustituye al anterior.`,
    paused: (ref, stage) =>
      `El examen de país ${ref} se ha suspendido durante la etapa «${stage}». Mientras dure la suspensión no se exige nada: no corre ningún plazo ni se envían recordatorios.`,
    pausedNote:
      'Cuando se reanude el examen, recibirá un aviso con el plazo que se aplique entonces. Entretanto, no se requiere ninguna acción.',
    resumed: (ref, stage) => `El examen de país ${ref} se ha reanudado en la etapa «${stage}».`,
    resumedMoved: (from, to) => `El plazo de esta etapa vencía el ${from} y ahora vence el ${to}.`,
    resumedUnchanged: (date) => `El plazo de esta etapa sigue venciendo el ${date}.`,
    resumedDeadline: (date) => `El plazo de esta etapa vence el ${date}.`,
    mustAct: 'Su Estado figura entre los que deben actuar en esta etapa.',
    byDeadline: 'Le agradeceríamos que los trabajos concluyeran dentro del plazo indicado.',
    asSoonAsPossible:
      'Dado que el plazo ya ha vencido, le agradeceríamos que su Estado presentara su contribución a la mayor brevedad posible.',
    byNewDeadline: 'Le agradeceríamos que su Estado presentara su contribución dentro del nuevo plazo.',
    expertCopy:
      'El coordinador de su Estado se encarga de presentar su contribución; esta copia se le envía a título informativo.',
    submitted:
      'La secretaría ha recibido la contribución de su Estado para esta etapa; no se requiere ninguna otra acción.',
    info: 'En esta etapa no se requiere ninguna acción de su Estado; el presente aviso se envía a título informativo.',
    reminderNote:
      'Si su Estado ya ha presentado su contribución, le rogamos que no tenga en cuenta este mensaje. Si se necesitara más tiempo o asistencia, la secretaría queda a su disposición.',
    overdueNote:
      'Entendemos que pueden producirse retrasos. Le agradeceríamos que su Estado presentara su contribución a la mayor brevedad posible; si se necesitara más tiempo o asistencia, la secretaría queda a su disposición.',
    extensionGranted: (ref, stage, on) =>
      `Se ha concedido la solicitud de su Estado${on ? `, de fecha ${on},` : ''} de prorrogar el plazo de la etapa «${stage}» del examen de país ${ref}.`,
    extensionNewDeadline: (deadline) =>
      `El nuevo plazo vence el ${deadline}; la entrada de calendario adjunta se ha actualizado en consecuencia.`,
    extensionDeclined: (ref, stage, on) =>
      `La secretaría lamenta no haber podido acceder a la solicitud de su Estado${on ? `, de fecha ${on},` : ''} de prorrogar el plazo de la etapa «${stage}» del examen de país ${ref}.`,
    extensionDeadlineRemains: (deadline) => `El plazo sigue venciendo el ${deadline}.`,
    extensionReason: (reason) => `Motivo indicado por la secretaría: «${reason}»`,
    extensionDeclinedNote:
      'Si su Estado necesitara asistencia para presentar su contribución, la secretaría queda a su disposición.',
  },
  contact: (name, email) =>
    name
      ? `Para cualquier consulta, puede responder a este mensaje o escribir a ${name} (${email}), de la secretaría.`
      : `Para cualquier consulta, puede responder a este mensaje o escribir a la secretaría (${email}).`,
  labels: {
    review: 'Examen',
    stateUnderReview: 'Estado parte examinado',
    yourState: 'Su Estado',
    cluster: 'Grupo temático',
    instruments: 'Instrumentos',
    stage: 'Etapa',
    outcome: 'Resultado esperado',
    responsible: 'Acción requerida de',
    owing: 'Contribución pendiente de',
    deadline: 'Plazo',
    newDeadline: 'Nuevo plazo',
    previousDeadline: 'Plazo anterior',
    daysLeft: 'Días restantes',
    daysSince: 'Días transcurridos desde el vencimiento del plazo',
    contact: 'Contacto en la secretaría',
    requestedDeadline: 'Plazo solicitado',
  },
  respond: {
    act: 'Para acusar recibo de este mensaje, informar a la secretaría de que su Estado ha enviado su contribución o solicitar una prórroga del plazo, abra su página personal:',
    acknowledge: 'Para acusar recibo, abra su página personal:',
    label: 'Abrir su página',
    personal: 'Este enlace es personal: le rogamos que no reenvíe este mensaje.',
  },
  calendarSummary: (ref, stage) => `${ref}: plazo de la etapa «${stage}»`,
  thanks: 'Le agradecemos su cooperación.',
  signOff: [
    'Atentamente,',
    'Secretaría del Mecanismo de Examen',
    'Oficina de las Naciones Unidas contra la Droga y el Delito',
  ],
  footer: 'Este es un mensaje automático dirigido a los coordinadores de este examen.',
  footerExpert: (state) =>
    `Este es un mensaje automático. Recibe esta copia en calidad de experto gubernamental de su Estado (${state}); el coordinador de su Estado se encarga de sus contribuciones.`,
};

/** Ends a Russian sentence once: a date already ends in "г." ("1 июня 2027 г."). */
const ruSentence = (text: string) => (text.endsWith('.') ? text : `${text}.`);

const ru: FocalPointStrings = {
  days: plural('ru', { one: '# день', few: '# дня', many: '# дней', other: '# дня' }),
  listSeparator: ', ',
  sentenceSeparator: ' ',
  colon: ': ',
  none: 'нет',
  greeting: (name) => [name ? `Уважаемый(-ая) ${name}!` : 'Уважаемые коллеги!'],
  subject: {
    stage_notice: (ref, sur, stage) => `Страновой обзор ${ref} (${sur}): новый этап — «${stage}»`,
    stage_notice_passed: (ref, sur, stage) =>
      `Страновой обзор ${ref} (${sur}): этап «${stage}», срок уже истек`,
    reminder: (ref, sur, stage, days) =>
      `Напоминание — страновой обзор ${ref} (${sur}): этап «${stage}», ${days === undefined ? 'срок скоро истекает' : days === 0 ? 'срок истекает сегодня' : `срок истекает через ${ru.days(days)}`}`,
    overdue_notice: (ref, sur, stage) => `Страновой обзор ${ref} (${sur}): срок этапа «${stage}» истек`,
    deadline_changed: (ref, sur, stage, change, date) =>
      `Страновой обзор ${ref} (${sur}): срок этапа «${stage}» ${{ extended: `продлен до ${date}`, brought_forward: `перенесен на ${date}`, set: `установлен: ${date}`, removed: 'отменен' }[change]}`,
    paused: (ref, sur, stage) => `Страновой обзор ${ref} (${sur}): обзор приостановлен (этап «${stage}»)`,
    resumed: (ref, sur, stage, date) =>
      `Страновой обзор ${ref} (${sur}): обзор возобновлен (этап «${stage}»${date ? `, срок — ${date}` : ''})`,
    extension_decision: (ref, sur, outcome, date) =>
      outcome === 'approved'
        ? `Страновой обзор ${ref} (${sur}): просьба о продлении срока удовлетворена${date ? `, новый срок — ${date}` : ''}`
        : `Страновой обзор ${ref} (${sur}): просьба о продлении срока не удовлетворена`,
  },
  body: {
    stage_notice: (ref, stage) => `Страновой обзор ${ref} перешел на новый этап: «${stage}».`,
    stage_notice_passed: (ref, stage) =>
      `Страновой обзор ${ref} находится на этапе «${stage}», срок которого уже истек.`,
    reminder: (ref, stage, days) =>
      `Позвольте напомнить, что срок этапа «${stage}» странового обзора ${ref} ${days === undefined ? 'скоро истекает' : days === 0 ? 'истекает сегодня' : `истекает через ${ru.days(days)}`}.`,
    overdue_notice: (ref, stage, days) =>
      `Срок этапа «${stage}» странового обзора ${ref} истек${days === undefined ? '' : ` ${ru.days(days)} назад`}.`,
    deadline_changed: (ref, stage, change, from, to) =>
      change === 'removed'
        ? `Для этапа «${stage}» странового обзора ${ref} срок больше не установлен.`
        : ruSentence(
            `Срок этапа «${stage}» странового обзора ${ref} ${{ extended: `продлен: вместо ${from} он истекает ${to}`, brought_forward: `перенесен на более раннюю дату: вместо ${from} он истекает ${to}`, set: `установлен: ${to}` }[change]}`,
          ),
    newDeadlineStands: (deadline) => `Новый срок (${deadline}) заменяет прежний.`,
    paused: (ref, stage) =>
      `Страновой обзор ${ref} приостановлен на этапе «${stage}». На время приостановки ничего представлять не требуется: сроки не текут, напоминания не направляются.`,
    pausedNote:
      'После возобновления обзора вы получите уведомление с действующим на тот момент сроком. До тех пор никаких действий не требуется.',
    resumed: (ref, stage) => `Страновой обзор ${ref} возобновлен на этапе «${stage}».`,
    resumedMoved: (from, to) => ruSentence(`Срок этого этапа перенесен с ${from} на ${to}`),
    resumedUnchanged: (date) => ruSentence(`Срок этого этапа не изменился: ${date}`),
    resumedDeadline: (date) => ruSentence(`Срок этого этапа: ${date}`),
    mustAct: 'Ваше государство входит в число государств, от которых на этом этапе требуются действия.',
    byDeadline: 'Просим вас по возможности завершить работу до указанного срока.',
    asSoonAsPossible:
      'Поскольку срок уже истек, просим вас по возможности представить материалы вашего государства в кратчайшие сроки.',
    byNewDeadline: 'Просим вас по возможности представить материалы вашего государства до нового срока.',
    expertCopy:
      'Представление материалов вашего государства обеспечивает его координатор; эта копия направляется вам для сведения.',
    submitted:
      'Секретариат получил материалы вашего государства по этому этапу; других действий не требуется.',
    info: 'На этом этапе от вашего государства никаких действий не требуется; настоящее уведомление направляется для сведения.',
    reminderNote:
      'Если ваше государство уже представило материалы, просим не принимать это сообщение во внимание. Если потребуется дополнительное время или помощь, секретариат готов оказать содействие.',
    overdueNote:
      'Мы понимаем, что задержки возможны. Будем признательны, если материалы вашего государства будут представлены в кратчайшие сроки; если потребуется дополнительное время или помощь, секретариат готов оказать содействие.',
    extensionGranted: (ref, stage, on) =>
      `Просьба вашего государства${on ? ` от ${on}` : ''} о продлении срока этапа «${stage}» странового обзора ${ref} удовлетворена.`,
    extensionNewDeadline: (deadline) => `Новый срок — ${deadline}; прилагаемая запись календаря обновлена.`,
    extensionDeclined: (ref, stage, on) =>
      `К сожалению, секретариат не смог удовлетворить просьбу вашего государства${on ? ` от ${on}` : ''} о продлении срока этапа «${stage}» странового обзора ${ref}.`,
    extensionDeadlineRemains: (deadline) => ruSentence(`Срок остается прежним: ${deadline}`),
    extensionReason: (reason) => `Причина, указанная секретариатом: «${reason}»`,
    extensionDeclinedNote:
      'Если вашему государству потребуется помощь в подготовке материалов, секретариат готов оказать содействие.',
  },
  // "написать в секретариат: <name>" keeps the name in the nominative, which Russian needs.
  contact: (name, email) =>
    `По всем вопросам вы можете ответить на это сообщение или написать в секретариат: ${name ? `${name} (${email})` : email}.`,
  labels: {
    review: 'Обзор',
    stateUnderReview: 'Государство — объект обзора',
    yourState: 'Ваше государство',
    cluster: 'Тематический блок',
    instruments: 'Правовые документы',
    stage: 'Этап',
    outcome: 'Ожидаемый результат',
    responsible: 'Государства, от которых требуются действия',
    owing: 'Государства, еще не представившие материалы',
    deadline: 'Срок',
    newDeadline: 'Новый срок',
    previousDeadline: 'Прежний срок',
    daysLeft: 'Осталось дней',
    daysSince: 'Дней после истечения срока',
    contact: 'Контакт в секретариате',
    requestedDeadline: 'Запрошенный срок',
  },
  respond: {
    act: 'Чтобы подтвердить получение этого сообщения, сообщить секретариату, что ваше государство направило свои материалы, или попросить о продлении срока, откройте вашу личную страницу:',
    acknowledge: 'Чтобы подтвердить получение, откройте вашу личную страницу:',
    label: 'Открыть личную страницу',
    personal: 'Эта ссылка предназначена только для вас: просим не пересылать это сообщение.',
  },
  calendarSummary: (ref, stage) => `${ref}: срок этапа «${stage}»`,
  thanks: 'Благодарим вас за сотрудничество.',
  signOff: [
    'С уважением,',
    'Секретариат Механизма обзора',
    'Управление Организации Объединенных Наций по наркотикам и преступности',
  ],
  footer: 'Это автоматическое сообщение направлено координаторам данного обзора.',
  footerExpert: (state) =>
    `Это автоматическое сообщение. Вы получаете эту копию как правительственный эксперт вашего государства (${state}); представление его материалов обеспечивает координатор.`,
};

const zh: FocalPointStrings = {
  days: (n) => `${n}天`,
  listSeparator: '、',
  sentenceSeparator: '',
  colon: '：',
  none: '无',
  greeting: (name) => [name ? `尊敬的${name}：` : '尊敬的先生/女士：'],
  subject: {
    stage_notice: (ref, sur, stage) => `${ref}（${sur}）国别审议：进入新阶段——${stage}`,
    stage_notice_passed: (ref, sur, stage) => `${ref}（${sur}）国别审议：现处于“${stage}”阶段，截止日期已过`,
    reminder: (ref, sur, stage, days) =>
      `提醒：${ref}（${sur}）国别审议“${stage}”阶段${days === undefined ? '即将截止' : days === 0 ? '今天截止' : `将于${zh.days(days)}后截止`}`,
    overdue_notice: (ref, sur, stage) => `${ref}（${sur}）国别审议：“${stage}”阶段截止日期已过`,
    deadline_changed: (ref, sur, stage, change, date) =>
      `${ref}（${sur}）国别审议：“${stage}”阶段截止日期${{ extended: `延至${date}`, brought_forward: `提前至${date}`, set: `定为${date}`, removed: '已取消' }[change]}`,
    paused: (ref, sur, stage) => `${ref}（${sur}）国别审议：审议暂停（“${stage}”阶段）`,
    resumed: (ref, sur, stage, date) =>
      `${ref}（${sur}）国别审议：审议恢复（“${stage}”阶段${date ? `，截止日期为${date}` : ''}）`,
    extension_decision: (ref, sur, outcome, date) =>
      outcome === 'approved'
        ? `${ref}（${sur}）国别审议：延期申请已获批准${date ? `，新截止日期为${date}` : ''}`
        : `${ref}（${sur}）国别审议：延期申请未获批准`,
  },
  body: {
    stage_notice: (ref, stage) => `国别审议${ref}已进入新阶段：“${stage}”。`,
    stage_notice_passed: (ref, stage) => `国别审议${ref}目前处于“${stage}”阶段，该阶段的截止日期已过。`,
    reminder: (ref, stage, days) =>
      `谨此提醒，国别审议${ref}的“${stage}”阶段${days === undefined ? '即将截止' : days === 0 ? '将于今天截止' : `将于${zh.days(days)}后截止`}。`,
    overdue_notice: (ref, stage, days) =>
      `国别审议${ref}的“${stage}”阶段截止日期已过${days === undefined ? '' : `（已过${zh.days(days)}）`}。`,
    deadline_changed: (ref, stage, change, from, to) =>
      change === 'removed'
        ? `国别审议${ref}的“${stage}”阶段不再设截止日期。`
        : `国别审议${ref}“${stage}”阶段的截止日期${{ extended: `已由${from}延至${to}`, brought_forward: `已由${from}提前至${to}`, set: `已定为${to}` }[change]}。`,
    newDeadlineStands: (deadline) => `新的截止日期（${deadline}）取代原截止日期。`,
    paused: (ref, stage) =>
      `国别审议${ref}已在“${stage}”阶段暂停。暂停期间无需提交任何材料：截止日期停止计算，也不会发送提醒。`,
    pausedNote: '审议恢复时，您将收到一份通知，其中载有届时适用的截止日期。在此之前无需采取任何行动。',
    resumed: (ref, stage) => `国别审议${ref}已在“${stage}”阶段恢复。`,
    resumedMoved: (from, to) => `本阶段截止日期已由${from}改为${to}。`,
    resumedUnchanged: (date) => `本阶段截止日期不变，仍为${date}。`,
    resumedDeadline: (date) => `本阶段截止日期为${date}。`,
    mustAct: '贵国是本阶段需采取行动的缔约国之一。',
    byDeadline: '如能在所列截止日期前完成相关工作，我们将不胜感激。',
    asSoonAsPossible: '由于截止日期已过，如贵国能尽快提交材料，我们将不胜感激。',
    byNewDeadline: '如贵国能在新的截止日期前提交材料，我们将不胜感激。',
    expertCopy: '贵国联络人负责协调贵国材料的提交工作；本副本仅供您参考。',
    submitted: '秘书处已收到贵国本阶段的材料；无需再采取任何行动。',
    info: '本阶段不需要贵国采取行动；本通知仅供参考。',
    reminderNote: '如贵国已提交材料，请忽略本邮件。如需更多时间或协助，秘书处随时乐意提供帮助。',
    overdueNote:
      '我们理解工作中可能出现延误。如贵国能尽早提交材料，我们将不胜感激；如需更多时间或协助，秘书处随时乐意提供帮助。',
    extensionGranted: (ref, stage, on) =>
      `贵国${on ? `于${on}` : ''}提出的延长国别审议${ref}“${stage}”阶段截止日期的申请已获批准。`,
    extensionNewDeadline: (deadline) => `新的截止日期为${deadline}；所附日历条目已相应更新。`,
    extensionDeclined: (ref, stage, on) =>
      `很遗憾，秘书处未能批准贵国${on ? `于${on}` : ''}提出的延长国别审议${ref}“${stage}”阶段截止日期的申请。`,
    extensionDeadlineRemains: (deadline) => `截止日期不变，仍为${deadline}。`,
    extensionReason: (reason) => `秘书处说明的理由：“${reason}”`,
    extensionDeclinedNote: '如贵国在提交材料方面需要任何协助，秘书处随时乐意提供帮助。',
  },
  contact: (name, email) =>
    name
      ? `如有任何问题，请直接回复本邮件，或致函秘书处${name}（${email}）。`
      : `如有任何问题，请直接回复本邮件，或致函秘书处（${email}）。`,
  labels: {
    review: '审议',
    stateUnderReview: '被审议缔约国',
    yourState: '贵国',
    cluster: '专题组',
    instruments: '文书',
    stage: '阶段',
    outcome: '预期成果',
    responsible: '需采取行动的缔约国',
    owing: '尚未提交材料的缔约国',
    deadline: '截止日期',
    newDeadline: '新截止日期',
    previousDeadline: '原截止日期',
    daysLeft: '剩余天数',
    daysSince: '截止日期后已过天数',
    contact: '秘书处联系人',
    requestedDeadline: '申请的截止日期',
  },
  respond: {
    act: '如需确认收到本邮件、告知秘书处贵国已提交材料或申请延长截止日期，请打开您的个人页面：',
    acknowledge: '如需确认收到本邮件，请打开您的个人页面：',
    label: '打开您的页面',
    personal: '此链接仅供您本人使用，请勿转发本邮件。',
  },
  calendarSummary: (ref, stage) => `${ref}：“${stage}”阶段截止日期`,
  thanks: '感谢您的合作。',
  signOff: ['此致', '敬礼！', '审议机制秘书处', '联合国毒品和犯罪问题办公室'],
  footer: '此为自动发送给本次审议各联络人的邮件。',
  footerExpert: (state) =>
    `此为自动发送的邮件。您作为贵国（${state}）的政府专家收到本副本；贵国联络人负责协调贵国材料的提交工作。`,
};

const ar: FocalPointStrings = {
  // After "بعد" and "منذ": one day, two days (genitive dual), 3–10 plural, 11–99 accusative singular.
  days: plural('ar', {
    one: 'يوم واحد',
    two: 'يومين',
    few: '# أيام',
    many: '# يومًا',
    other: '# يوم',
  }),
  listSeparator: '، ',
  sentenceSeparator: ' ',
  colon: ': ',
  none: 'لا يوجد',
  greeting: (name) => [name ? `السيد/السيدة ${name} المحترم/المحترمة،` : 'السيد/السيدة المحترم/المحترمة،'],
  subject: {
    stage_notice: (ref, sur, stage) => `الاستعراض ${ref} (${sur}): مرحلة جديدة – ${stage}`,
    stage_notice_passed: (ref, sur, stage) =>
      `الاستعراض ${ref} (${sur}): مرحلة «${stage}» وقد انقضى موعدها النهائي`,
    reminder: (ref, sur, stage, days) =>
      `تذكير – الاستعراض ${ref} (${sur}): الموعد النهائي لمرحلة «${stage}» ${days === undefined ? 'يقترب' : days === 0 ? 'اليوم' : `بعد ${ar.days(days)}`}`,
    overdue_notice: (ref, sur, stage) => `الاستعراض ${ref} (${sur}): انقضى الموعد النهائي لمرحلة «${stage}»`,
    deadline_changed: (ref, sur, stage, change, date) =>
      `الاستعراض ${ref} (${sur}): ${{ extended: `تمديد الموعد النهائي لمرحلة «${stage}» إلى ${date}`, brought_forward: `تقديم الموعد النهائي لمرحلة «${stage}» إلى ${date}`, set: `تحديد الموعد النهائي لمرحلة «${stage}» في ${date}`, removed: `إلغاء الموعد النهائي لمرحلة «${stage}»` }[change]}`,
    paused: (ref, sur, stage) => `الاستعراض ${ref} (${sur}): تعليق الاستعراض – ${stage}`,
    resumed: (ref, sur, stage, date) =>
      `الاستعراض ${ref} (${sur}): استئناف الاستعراض – ${stage}${date ? `، والموعد النهائي ${date}` : ''}`,
    extension_decision: (ref, sur, outcome, date) =>
      outcome === 'approved'
        ? `الاستعراض ${ref} (${sur}): الموافقة على طلب التمديد${date ? `، والموعد النهائي الجديد ${date}` : ''}`
        : `الاستعراض ${ref} (${sur}): تعذّرت الموافقة على طلب التمديد`,
  },
  body: {
    stage_notice: (ref, stage) => `انتقل الاستعراض القُطري ${ref} إلى مرحلة جديدة: «${stage}».`,
    stage_notice_passed: (ref, stage) =>
      `الاستعراض القُطري ${ref} في مرحلة «${stage}»، وقد انقضى الموعد النهائي لهذه المرحلة بالفعل.`,
    reminder: (ref, stage, days) =>
      `نودّ أن نذكّركم بأن الموعد النهائي لمرحلة «${stage}» من الاستعراض القُطري ${ref} ${days === undefined ? 'يقترب' : days === 0 ? 'هو اليوم' : `يحلّ بعد ${ar.days(days)}`}.`,
    overdue_notice: (ref, stage, days) =>
      `انقضى الموعد النهائي لمرحلة «${stage}» من الاستعراض القُطري ${ref}${days === undefined ? '' : ` منذ ${ar.days(days)}`}.`,
    deadline_changed: (ref, stage, change, from, to) =>
      ({
        extended: `مُدِّد الموعد النهائي لمرحلة «${stage}» من الاستعراض القُطري ${ref} من ${from} إلى ${to}.`,
        brought_forward: `قُدِّم الموعد النهائي لمرحلة «${stage}» من الاستعراض القُطري ${ref} من ${from} إلى ${to}.`,
        set: `حُدِّد الموعد النهائي لمرحلة «${stage}» من الاستعراض القُطري ${ref} في ${to}.`,
        removed: `لم يعد لمرحلة «${stage}» من الاستعراض القُطري ${ref} موعد نهائي.`,
      })[change],
    newDeadlineStands: (deadline) => `ويحلّ الموعد النهائي الجديد (${deadline}) محلّ الموعد السابق.`,
    paused: (ref, stage) =>
      `عُلِّق الاستعراض القُطري ${ref} خلال مرحلة «${stage}». ولا يُطلب تقديم أي شيء طوال فترة التعليق: فلا تسري أي مواعيد نهائية ولا تُرسَل أي رسائل تذكير.`,
    pausedNote:
      'وعند استئناف الاستعراض، ستتلقون إشعارًا بالموعد النهائي المعمول به حينئذ. ولا يلزم اتخاذ أي إجراء في الأثناء.',
    resumed: (ref, stage) => `استُؤنف الاستعراض القُطري ${ref} في مرحلة «${stage}».`,
    resumedMoved: (from, to) => `وقد تغيّر الموعد النهائي لهذه المرحلة من ${from} إلى ${to}.`,
    resumedUnchanged: (date) => `ويظل الموعد النهائي لهذه المرحلة ${date}.`,
    resumedDeadline: (date) => `والموعد النهائي لهذه المرحلة هو ${date}.`,
    mustAct: 'دولتكم من بين الدول المطلوب منها اتخاذ إجراء في هذه المرحلة.',
    byDeadline: 'ونكون ممتنين لو أمكن إنجاز العمل قبل الموعد النهائي المحدد.',
    asSoonAsPossible:
      'ونظرًا إلى انقضاء الموعد النهائي، نكون ممتنين لو تفضلت دولتكم بتقديم مساهمتها في أقرب وقت ممكن.',
    byNewDeadline: 'ونكون ممتنين لو تفضلت دولتكم بتقديم مساهمتها قبل الموعد النهائي الجديد.',
    expertCopy: 'وتتولى جهة الوصل عن دولتكم تنسيق تقديم مساهمتها؛ وتُرسَل إليكم هذه النسخة للعلم.',
    submitted: 'تلقّت الأمانة مساهمة دولتكم في هذه المرحلة؛ ولا يلزم اتخاذ أي إجراء آخر.',
    info: 'لا يُطلب من دولتكم اتخاذ أي إجراء في هذه المرحلة؛ ويُرسَل هذا الإشعار للعلم.',
    reminderNote:
      'إذا كانت دولتكم قد قدّمت مساهمتها بالفعل، يُرجى تجاهل هذه الرسالة. وإذا لزم مزيد من الوقت أو المساعدة، فإن الأمانة على استعداد لتقديم العون.',
    overdueNote:
      'ندرك أن التأخير قد يحدث. ونكون ممتنين لو تفضلت دولتكم بتقديم مساهمتها في أقرب وقت ممكن؛ وإذا لزم مزيد من الوقت أو المساعدة، فإن الأمانة على استعداد لتقديم العون.',
    extensionGranted: (ref, stage, on) =>
      `تمت الموافقة على طلب دولتكم${on ? ` المؤرخ ${on}` : ''} الرامي إلى تمديد الموعد النهائي لمرحلة «${stage}» من الاستعراض القُطري ${ref}.`,
    extensionNewDeadline: (deadline) =>
      `والموعد النهائي الجديد هو ${deadline}، وقد حُدِّث قيد التقويم المرفق تبعًا لذلك.`,
    extensionDeclined: (ref, stage, on) =>
      `تأسف الأمانة لتعذّر الموافقة على طلب دولتكم${on ? ` المؤرخ ${on}` : ''} الرامي إلى تمديد الموعد النهائي لمرحلة «${stage}» من الاستعراض القُطري ${ref}.`,
    extensionDeadlineRemains: (deadline) => `ويظل الموعد النهائي ${deadline}.`,
    extensionReason: (reason) => `السبب الذي أوردته الأمانة: «${reason}»`,
    extensionDeclinedNote:
      'وإذا احتاجت دولتكم إلى أي مساعدة في تقديم مساهمتها، فإن الأمانة على استعداد لتقديم العون.',
  },
  contact: (name, email) =>
    name
      ? `لأي استفسار، يُرجى الرد على هذه الرسالة أو الكتابة إلى ${name} (${email}) في الأمانة.`
      : `لأي استفسار، يُرجى الرد على هذه الرسالة أو الكتابة إلى الأمانة (${email}).`,
  labels: {
    review: 'الاستعراض',
    stateUnderReview: 'الدولة الطرف المستعرَضة',
    yourState: 'دولتكم',
    cluster: 'المجموعة المواضيعية',
    instruments: 'الصكوك',
    stage: 'المرحلة',
    outcome: 'النتيجة المتوقعة',
    responsible: 'الدول المطلوب منها اتخاذ إجراء',
    owing: 'الدول التي لم تقدّم مساهمتها بعد',
    deadline: 'الموعد النهائي',
    newDeadline: 'الموعد النهائي الجديد',
    previousDeadline: 'الموعد النهائي السابق',
    daysLeft: 'الأيام المتبقية',
    daysSince: 'الأيام المنقضية منذ الموعد النهائي',
    contact: 'جهة الاتصال في الأمانة',
    requestedDeadline: 'الموعد النهائي المطلوب',
  },
  respond: {
    act: 'للإفادة باستلام هذه الرسالة، أو لإبلاغ الأمانة بأن دولتكم قد أرسلت مساهمتها، أو لطلب تمديد الموعد النهائي، يُرجى فتح صفحتكم الشخصية:',
    acknowledge: 'للإفادة بالاستلام، يُرجى فتح صفحتكم الشخصية:',
    label: 'فتح صفحتكم',
    personal: 'هذا الرابط خاص بكم: يُرجى عدم إعادة توجيه هذه الرسالة.',
  },
  calendarSummary: (ref, stage) => `${ref}: الموعد النهائي لمرحلة «${stage}»`,
  thanks: 'شكرًا لتعاونكم.',
  signOff: ['مع خالص التحيات،', 'أمانة آلية الاستعراض', 'مكتب الأمم المتحدة المعني بالمخدرات والجريمة'],
  footer: 'هذه رسالة آلية مرسلة إلى جهات الوصل المعنية بهذا الاستعراض.',
  footerExpert: (state) =>
    `هذه رسالة آلية. تتلقون هذه النسخة بصفتكم خبيرًا حكوميًا عن دولتكم (${state})؛ وتتولى جهة الوصل عن دولتكم تنسيق مساهماتها.`,
};

/** The strings of each UN language. */
export const MESSAGES: Record<Language, FocalPointStrings> = { ar, en, es, fr, ru, zh };
