import type { Language } from '#shared/domain/review.ts';
import type { RespondNotice, RespondRefusal } from './respond-view.ts';

/**
 * Focal-point page strings (`/respond/{token}`, DESIGN §10) in the six UN languages. The terms and
 * the tone are those of the mail (`shared/email/messages.ts`): country review, State party under
 * review, focal point; courteous and non-punitive, the Secretariat offering help, never blaming.
 *
 * States never sit inside a sentence, for the reason the mail gives (CLDR names carry no article
 * or case): the page names them in its label/value list and says "your State" in sentences. Dates
 * in sentences arrive formatted (`1 June 2027`, `2 Mar 2027, 09:05 Vienna time`).
 */

/** A refusal page: its heading (also the title) and its paragraphs. */
export interface RespondRefusalText {
  heading: string;
  text: string[];
}

/** Every string one language needs for the page and its refusals. */
export interface RespondStrings {
  /** Between sentences of one paragraph (Chinese puts none). */
  sentenceSeparator: string;
  /** The page's title and heading: the review by its reference. */
  heading: (ref: string) => string;
  /** The title of a page whose form came back with errors. */
  errorTitle: (title: string) => string;
  intro: string;
  labels: {
    review: string;
    stateUnderReview: string;
    yourState: string;
    stage: string;
    outcome: string;
    deadline: string;
    submission: string;
    acknowledgement: string;
    requestedAt: string;
    requestedDeadline: string;
    reason: string;
    decidedAt: string;
    newDeadline: string;
    decisionReason: string;
  };
  noDeadline: string;
  /** The State's part in the stage; `at` is a date and time, `until` a date. */
  submission: {
    none: string;
    owing: string;
    reported: (at: string, until: string) => string;
    received: (at: string) => string;
  };
  acknowledgement: { done: (at: string) => string; notYet: string };
  openRequest: { heading: string; waiting: string };
  decision: { heading: string; approved: string; declined: string };
  /** What the last action did, in the status banner. */
  notices: Record<RespondNotice, string>;
  /** Above the list of fields to correct. */
  errorSummary: string;
  fieldErrors: {
    deadline: Record<'missing' | 'invalid' | 'not_after_deadline' | 'too_far', string>;
    reason: Record<'missing' | 'too_long', string>;
  };
  acknowledge: { heading: string; text: string; button: string };
  report: { heading: string; text: string; button: string };
  extension: {
    heading: string;
    text: string;
    deadlineLabel: string;
    /** `earliest` is a date alone. */
    deadlineHint: (earliest: string) => string;
    reasonLabel: string;
    reasonHint: string;
    button: string;
  };
  /** To a governmental expert: the focal point answers for the State. */
  expertNote: string;
  /** When the page offers no form. */
  nothingToDo: string;
  /** Before the Secretariat's address. */
  contact: string;
  privacy: string;
  /** When to try again, in whole minutes (at least 1). */
  retryIn: (minutes: number) => string;
  refusals: Record<RespondRefusal, RespondRefusalText>;
}

/** Picks a plural form with the language's CLDR rules; `#` is the number. */
function plural(language: Language, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }) {
  const rules = new Intl.PluralRules(language);
  return (n: number): string => (forms[rules.select(n)] ?? forms.other).replace('#', String(n));
}

/** Ends a Russian sentence once: a date already ends in "г." ("1 июня 2027 г."). */
const ruSentence = (text: string) => (text.endsWith('.') ? text : `${text}.`);

const en: RespondStrings = {
  sentenceSeparator: ' ',
  heading: (ref) => `Country review ${ref}`,
  errorTitle: (title) => `Error: ${title}`,
  intro: 'This page shows where the review stands for your State, and lets you reply to the Secretariat.',
  labels: {
    review: 'Review',
    stateUnderReview: 'State party under review',
    yourState: 'Your State',
    stage: 'Current stage',
    outcome: 'Expected outcome',
    deadline: 'Deadline',
    submission: "Your State's submission",
    acknowledgement: 'Acknowledgement of receipt',
    requestedAt: 'Requested on',
    requestedDeadline: 'Proposed deadline',
    reason: 'Reason',
    decidedAt: 'Decided on',
    newDeadline: 'New deadline',
    decisionReason: "The Secretariat's explanation",
  },
  noDeadline: 'No deadline has been set.',
  submission: {
    none: 'No submission is requested from your State in this stage.',
    owing: 'Awaited for this stage.',
    reported: (at, until) =>
      `Reported as sent on ${at}. The Secretariat will confirm once it has received it; reminders to your State are paused until ${until}.`,
    received: (at) => `Received by the Secretariat on ${at}. Thank you; no further action is needed.`,
  },
  acknowledgement: { done: (at) => `Recorded on ${at}.`, notYet: 'Not yet recorded.' },
  openRequest: {
    heading: "Your State's request for an extension",
    waiting:
      "This request is awaiting the Secretariat's decision; you will receive the answer by e-mail. Until then, the current deadline applies.",
  },
  decision: {
    heading: "The Secretariat's decision",
    approved: 'The Secretariat has approved the request for an extension.',
    declined:
      'The Secretariat was unable to grant the request for an extension. The current deadline continues to apply.',
  },
  notices: {
    acknowledged: 'Thank you: your acknowledgement of receipt has been recorded.',
    already_acknowledged: 'Your acknowledgement of receipt had already been recorded; nothing has changed.',
    reported:
      "Thank you: your State's submission has been recorded as sent. The Secretariat will confirm once it has received it; in the meantime, reminders to your State are paused for 14 days.",
    already_reported: "Your State's submission had already been recorded as sent; nothing has changed.",
    extension_requested:
      'Thank you: your request for an extension has been sent to the Secretariat, which will reply by e-mail.',
    extension_already_open:
      "A request for an extension from your State is already awaiting the Secretariat's decision; nothing has changed. Should you wish to add to it, please write to the Secretariat.",
  },
  errorSummary: 'The request has not been sent yet. Please check the fields marked below.',
  fieldErrors: {
    deadline: {
      missing: 'Please enter the date you propose as the new deadline.',
      invalid: 'Please enter a valid date (year-month-day, for example 2027-06-30).',
      not_after_deadline: 'Please choose a date after the current deadline.',
      too_far:
        'This date is further ahead than can be requested here. Please choose an earlier date, or write to the Secretariat.',
    },
    reason: {
      missing: 'Please give the reason for the request.',
      too_long: 'Please shorten the reason to 1,000 characters at most.',
    },
  },
  acknowledge: {
    heading: 'Acknowledge receipt',
    text: 'Let the Secretariat know that you have received the notice for this stage.',
    button: 'Acknowledge receipt',
  },
  report: {
    heading: 'We have sent our submission',
    text: 'If your State has already sent its submission for this stage to the Secretariat, you can let us know here. It will be recorded as reported, and the Secretariat will confirm once it has received it. In the meantime, reminders to your State are paused for 14 days.',
    button: 'We have sent our submission',
  },
  extension: {
    heading: 'Ask for an extension',
    text: 'If your State needs more time, you can propose a new deadline. The Secretariat will consider the request and reply by e-mail; until then, the current deadline applies.',
    deadlineLabel: 'Proposed new deadline',
    deadlineHint: (earliest) => `The earliest date you can propose is ${earliest}.`,
    reasonLabel: 'Reason for the request',
    reasonHint: 'Up to 1,000 characters.',
    button: 'Send the request',
  },
  expertNote:
    "As a governmental expert, you can acknowledge receipt here. Your State's focal point answers for your State and coordinates its submission.",
  nothingToDo: 'Nothing further is needed from you on this page.',
  contact: 'For any question, please write to the Secretariat:',
  privacy:
    'This link is personal and was made for you alone. Please do not forward it: anyone who has it could reply on behalf of your State.',
  retryIn: (minutes) => `You can try again in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}.`,
  refusals: {
    altered: {
      heading: 'This link is not valid',
      text: [
        'It may have been changed or cut off when it was copied. Please use the link in your latest e-mail from the Secretariat, or write to the Secretariat.',
        'Nothing has been recorded.',
      ],
    },
    replaced: {
      heading: 'This link is no longer active',
      text: [
        'It was made for a person who is no longer registered as a focal point or expert for this review. If you believe this is a mistake, please write to the Secretariat.',
        'Nothing has been recorded.',
      ],
    },
    expired: {
      heading: 'This link has expired',
      text: [
        "Links remain valid until 60 days after the stage's deadline. Please use the link in your latest e-mail from the Secretariat, or write to the Secretariat.",
        'Nothing has been recorded.',
      ],
    },
    stage_over: {
      heading: 'This stage of the review is over',
      text: [
        'The review has moved on since this link was sent. A newer e-mail carries a new link; please use that one, or write to the Secretariat.',
        'Nothing has been recorded.',
      ],
    },
    rate_limited: {
      heading: 'Please wait a moment',
      text: ['This link has been used many times in a short while. Please wait a few minutes and try again.'],
    },
    forbidden_origin: {
      heading: 'This form could not be accepted',
      text: [
        'For your security, the form must be sent from the page that your personal link opens. Please open the link in your latest e-mail again and send the form from there.',
        'Nothing has been recorded.',
      ],
    },
    unavailable: {
      heading: 'The service is temporarily unavailable',
      text: [
        'Please try again in a few minutes. If you had sent a form, you can safely send it again: it will not be recorded twice.',
      ],
    },
    bad_request: {
      heading: 'This request could not be processed',
      text: [
        'The form could not be read, or it asked for something this link does not allow. Please open the link in your latest e-mail again and try once more, or write to the Secretariat.',
        'Nothing has been recorded.',
      ],
    },
  },
};

const fr: RespondStrings = {
  sentenceSeparator: ' ',
  heading: (ref) => `Examen de pays ${ref}`,
  errorTitle: (title) => `Erreur\u00a0: ${title}`,
  intro: "Cette page indique où en est l'examen pour votre État et vous permet de répondre au secrétariat.",
  labels: {
    review: 'Examen',
    stateUnderReview: 'État partie examiné',
    yourState: 'Votre État',
    stage: 'Étape en cours',
    outcome: 'Résultat attendu',
    deadline: 'Date limite',
    submission: 'Contribution de votre État',
    acknowledgement: 'Accusé de réception',
    requestedAt: 'Date de la demande',
    requestedDeadline: 'Date limite proposée',
    reason: 'Motif',
    decidedAt: 'Date de la décision',
    newDeadline: 'Nouvelle date limite',
    decisionReason: 'Explication du secrétariat',
  },
  noDeadline: "Aucune date limite n'a été fixée.",
  submission: {
    none: "Aucune contribution n'est attendue de votre État au cours de cette étape.",
    owing: 'Attendue pour cette étape.',
    reported: (at, until) =>
      `Signalée comme transmise le ${at}. Le secrétariat en confirmera la réception\u00a0; les rappels adressés à votre État sont suspendus jusqu'au ${until}.`,
    received: (at) => `Reçue par le secrétariat le ${at}. Merci\u00a0; aucune autre action n'est requise.`,
  },
  acknowledgement: { done: (at) => `Enregistré le ${at}.`, notYet: 'Pas encore enregistré.' },
  openRequest: {
    heading: 'Demande de report de la date limite présentée par votre État',
    waiting:
      "Cette demande est en attente de la décision du secrétariat\u00a0; la réponse vous sera communiquée par courriel. D'ici là, la date limite actuelle reste applicable.",
  },
  decision: {
    heading: 'Décision du secrétariat',
    approved: 'Le secrétariat a accepté la demande de report de la date limite.',
    declined:
      "Le secrétariat n'a pas été en mesure d'accepter la demande de report de la date limite. La date limite actuelle reste applicable.",
  },
  notices: {
    acknowledged: 'Merci\u00a0: votre accusé de réception a été enregistré.',
    already_acknowledged: "Votre accusé de réception avait déjà été enregistré\u00a0; rien n'a été modifié.",
    reported:
      'Merci\u00a0: la contribution de votre État a été enregistrée comme transmise. Le secrétariat en confirmera la réception\u00a0; entre-temps, les rappels adressés à votre État sont suspendus pendant 14\u00a0jours.',
    already_reported:
      "La contribution de votre État avait déjà été enregistrée comme transmise\u00a0; rien n'a été modifié.",
    extension_requested:
      'Merci\u00a0: votre demande de report a été transmise au secrétariat, qui vous répondra par courriel.',
    extension_already_open:
      "Une demande de report présentée par votre État attend déjà la décision du secrétariat\u00a0; rien n'a été modifié. Si vous souhaitez la compléter, vous pouvez écrire au secrétariat.",
  },
  errorSummary: "La demande n'a pas encore été envoyée. Veuillez vérifier les champs signalés ci-dessous.",
  fieldErrors: {
    deadline: {
      missing: 'Veuillez indiquer la date que vous proposez comme nouvelle date limite.',
      invalid: 'Veuillez saisir une date valide (année-mois-jour, par exemple 2027-06-30).',
      not_after_deadline: 'Veuillez choisir une date postérieure à la date limite actuelle.',
      too_far:
        'Cette date est trop éloignée pour être demandée ici. Veuillez choisir une date plus proche, ou écrire au secrétariat.',
    },
    reason: {
      missing: 'Veuillez indiquer le motif de la demande.',
      too_long: 'Veuillez limiter le motif à 1\u202f000\u00a0caractères.',
    },
  },
  acknowledge: {
    heading: 'Accuser réception',
    text: "Indiquez au secrétariat que vous avez bien reçu l'avis relatif à cette étape.",
    button: 'Accuser réception',
  },
  report: {
    heading: 'Nous avons transmis notre contribution',
    text: 'Si votre État a déjà transmis au secrétariat sa contribution pour cette étape, vous pouvez le signaler ici. Elle sera enregistrée comme transmise, et le secrétariat en confirmera la réception. Entre-temps, les rappels adressés à votre État sont suspendus pendant 14\u00a0jours.',
    button: 'Nous avons transmis notre contribution',
  },
  extension: {
    heading: 'Demander un report de la date limite',
    text: "Si votre État a besoin de plus de temps, vous pouvez proposer une nouvelle date limite. Le secrétariat examinera la demande et vous répondra par courriel\u00a0; d'ici là, la date limite actuelle reste applicable.",
    deadlineLabel: 'Nouvelle date limite proposée',
    deadlineHint: (earliest) => `La date la plus proche que vous puissiez proposer est le ${earliest}.`,
    reasonLabel: 'Motif de la demande',
    reasonHint: '1\u202f000\u00a0caractères au maximum.',
    button: 'Envoyer la demande',
  },
  expertNote:
    "En votre qualité d'expert gouvernemental, vous pouvez accuser réception ici. Le point de contact de votre État répond au nom de celui-ci et coordonne sa contribution.",
  nothingToDo: "Aucune autre action n'est attendue de vous sur cette page.",
  contact: 'Pour toute question, vous pouvez écrire au secrétariat\u00a0:',
  privacy:
    'Ce lien est personnel et vous est réservé. Nous vous prions de ne pas le transférer\u00a0: toute personne qui le détient pourrait répondre au nom de votre État.',
  retryIn: plural('fr', {
    one: 'Vous pourrez réessayer dans #\u00a0minute.',
    other: 'Vous pourrez réessayer dans #\u00a0minutes.',
  }),
  refusals: {
    altered: {
      heading: "Ce lien n'est pas valide",
      text: [
        "Il a peut-être été modifié ou tronqué lors d'un copier-coller. Veuillez utiliser le lien figurant dans le dernier courriel du secrétariat, ou écrire au secrétariat.",
        "Rien n'a été enregistré.",
      ],
    },
    replaced: {
      heading: "Ce lien n'est plus actif",
      text: [
        "Il a été établi pour une personne qui n'est plus enregistrée comme point de contact ou expert pour cet examen. S'il s'agit d'une erreur, veuillez écrire au secrétariat.",
        "Rien n'a été enregistré.",
      ],
    },
    expired: {
      heading: 'Ce lien a expiré',
      text: [
        "Les liens restent valables jusqu'à 60\u00a0jours après la date limite de l'étape. Veuillez utiliser le lien figurant dans le dernier courriel du secrétariat, ou écrire au secrétariat.",
        "Rien n'a été enregistré.",
      ],
    },
    stage_over: {
      heading: "Cette étape de l'examen est terminée",
      text: [
        "L'examen a progressé depuis l'envoi de ce lien. Un courriel plus récent contient un nouveau lien\u00a0; veuillez utiliser celui-ci, ou écrire au secrétariat.",
        "Rien n'a été enregistré.",
      ],
    },
    rate_limited: {
      heading: 'Merci de patienter un instant',
      text: [
        'Ce lien a été utilisé de nombreuses fois en peu de temps. Veuillez patienter quelques minutes, puis réessayer.',
      ],
    },
    forbidden_origin: {
      heading: "Ce formulaire n'a pas pu être accepté",
      text: [
        "Pour votre sécurité, le formulaire doit être envoyé depuis la page qu'ouvre votre lien personnel. Veuillez ouvrir à nouveau le lien figurant dans votre dernier courriel et envoyer le formulaire depuis cette page.",
        "Rien n'a été enregistré.",
      ],
    },
    unavailable: {
      heading: 'Le service est momentanément indisponible',
      text: [
        "Veuillez réessayer dans quelques minutes. Si vous aviez envoyé un formulaire, vous pouvez l'envoyer à nouveau sans crainte\u00a0: il ne sera pas enregistré deux fois.",
      ],
    },
    bad_request: {
      heading: "Cette demande n'a pas pu être traitée",
      text: [
        "Le formulaire n'a pas pu être lu, ou il demandait une action que ce lien ne permet pas. Veuillez ouvrir à nouveau le lien figurant dans votre dernier courriel et réessayer, ou écrire au secrétariat.",
        "Rien n'a été enregistré.",
      ],
    },
  },
};

const es: RespondStrings = {
  sentenceSeparator: ' ',
  heading: (ref) => `Examen de país ${ref}`,
  errorTitle: (title) => `Error: ${title}`,
  intro: 'Esta página muestra la situación del examen para su Estado y le permite responder a la secretaría.',
  labels: {
    review: 'Examen',
    stateUnderReview: 'Estado parte examinado',
    yourState: 'Su Estado',
    stage: 'Etapa actual',
    outcome: 'Resultado esperado',
    deadline: 'Plazo',
    submission: 'Contribución de su Estado',
    acknowledgement: 'Acuse de recibo',
    requestedAt: 'Fecha de la solicitud',
    requestedDeadline: 'Plazo propuesto',
    reason: 'Motivo',
    decidedAt: 'Fecha de la decisión',
    newDeadline: 'Nuevo plazo',
    decisionReason: 'Explicación de la secretaría',
  },
  noDeadline: 'No se ha fijado ningún plazo.',
  submission: {
    none: 'En esta etapa no se requiere ninguna contribución de su Estado.',
    owing: 'Pendiente en esta etapa.',
    reported: (at, until) =>
      `Comunicada como enviada el ${at}. La secretaría confirmará su recepción; los recordatorios a su Estado quedan suspendidos hasta el ${until}.`,
    received: (at) =>
      `Recibida por la secretaría el ${at}. Muchas gracias; no se requiere ninguna otra acción.`,
  },
  acknowledgement: { done: (at) => `Registrado el ${at}.`, notYet: 'Aún no registrado.' },
  openRequest: {
    heading: 'Solicitud de prórroga de su Estado',
    waiting:
      'Esta solicitud está pendiente de la decisión de la secretaría; recibirá la respuesta por correo electrónico. Entretanto, sigue aplicándose el plazo actual.',
  },
  decision: {
    heading: 'Decisión de la secretaría',
    approved: 'La secretaría ha aprobado la solicitud de prórroga.',
    declined:
      'La secretaría no ha podido conceder la solicitud de prórroga. Sigue aplicándose el plazo actual.',
  },
  notices: {
    acknowledged: 'Muchas gracias: se ha registrado su acuse de recibo.',
    already_acknowledged: 'Su acuse de recibo ya estaba registrado; no se ha modificado nada.',
    reported:
      'Muchas gracias: la contribución de su Estado se ha registrado como enviada. La secretaría confirmará su recepción; entretanto, los recordatorios a su Estado quedan suspendidos durante 14 días.',
    already_reported:
      'La contribución de su Estado ya estaba registrada como enviada; no se ha modificado nada.',
    extension_requested:
      'Muchas gracias: su solicitud de prórroga se ha enviado a la secretaría, que le responderá por correo electrónico.',
    extension_already_open:
      'Ya hay una solicitud de prórroga de su Estado pendiente de la decisión de la secretaría; no se ha modificado nada. Si desea completarla, puede escribir a la secretaría.',
  },
  errorSummary:
    'La solicitud aún no se ha enviado. Le rogamos que revise los campos señalados a continuación.',
  fieldErrors: {
    deadline: {
      missing: 'Le rogamos que indique la fecha que propone como nuevo plazo.',
      invalid: 'Le rogamos que introduzca una fecha válida (año-mes-día, por ejemplo 2027-06-30).',
      not_after_deadline: 'Le rogamos que elija una fecha posterior al plazo actual.',
      too_far:
        'Esta fecha es demasiado lejana para solicitarla por este medio. Le rogamos que elija una fecha anterior o que escriba a la secretaría.',
    },
    reason: {
      missing: 'Le rogamos que indique el motivo de la solicitud.',
      too_long: 'Le rogamos que reduzca el motivo a 1000 caracteres como máximo.',
    },
  },
  acknowledge: {
    heading: 'Acusar recibo',
    text: 'Comunique a la secretaría que ha recibido el aviso relativo a esta etapa.',
    button: 'Acusar recibo',
  },
  report: {
    heading: 'Hemos enviado nuestra contribución',
    text: 'Si su Estado ya ha enviado a la secretaría su contribución para esta etapa, puede comunicarlo aquí. Se registrará como enviada y la secretaría confirmará su recepción. Entretanto, los recordatorios a su Estado quedan suspendidos durante 14 días.',
    button: 'Hemos enviado nuestra contribución',
  },
  extension: {
    heading: 'Solicitar una prórroga',
    text: 'Si su Estado necesita más tiempo, puede proponer un nuevo plazo. La secretaría examinará la solicitud y le responderá por correo electrónico; entretanto, sigue aplicándose el plazo actual.',
    deadlineLabel: 'Nuevo plazo propuesto',
    deadlineHint: (earliest) => `La fecha más próxima que puede proponer es el ${earliest}.`,
    reasonLabel: 'Motivo de la solicitud',
    reasonHint: 'Hasta 1000 caracteres.',
    button: 'Enviar la solicitud',
  },
  expertNote:
    'En su calidad de experto gubernamental, puede acusar recibo aquí. El coordinador de su Estado responde en nombre de este y se encarga de su contribución.',
  nothingToDo: 'No se requiere ninguna otra acción de su parte en esta página.',
  contact: 'Para cualquier consulta, puede escribir a la secretaría:',
  privacy:
    'Este enlace es personal y está destinado únicamente a usted. Le rogamos que no lo reenvíe: cualquier persona que lo tenga podría responder en nombre de su Estado.',
  retryIn: plural('es', {
    one: 'Podrá volver a intentarlo dentro de # minuto.',
    other: 'Podrá volver a intentarlo dentro de # minutos.',
  }),
  refusals: {
    altered: {
      heading: 'Este enlace no es válido',
      text: [
        'Es posible que se haya modificado o cortado al copiarlo. Le rogamos que utilice el enlace de su último correo electrónico de la secretaría o que escriba a la secretaría.',
        'No se ha registrado nada.',
      ],
    },
    replaced: {
      heading: 'Este enlace ya no está activo',
      text: [
        'Se creó para una persona que ya no figura como coordinador o experto de este examen. Si cree que se trata de un error, le rogamos que escriba a la secretaría.',
        'No se ha registrado nada.',
      ],
    },
    expired: {
      heading: 'Este enlace ha caducado',
      text: [
        'Los enlaces son válidos hasta 60 días después del plazo de la etapa. Le rogamos que utilice el enlace de su último correo electrónico de la secretaría o que escriba a la secretaría.',
        'No se ha registrado nada.',
      ],
    },
    stage_over: {
      heading: 'Esta etapa del examen ha concluido',
      text: [
        'El examen ha avanzado desde que se envió este enlace. Un correo electrónico más reciente contiene un nuevo enlace; le rogamos que utilice ese o que escriba a la secretaría.',
        'No se ha registrado nada.',
      ],
    },
    rate_limited: {
      heading: 'Le rogamos que espere un momento',
      text: [
        'Este enlace se ha utilizado muchas veces en poco tiempo. Le rogamos que espere unos minutos y vuelva a intentarlo.',
      ],
    },
    forbidden_origin: {
      heading: 'No se ha podido aceptar el formulario',
      text: [
        'Por su seguridad, el formulario debe enviarse desde la página que abre su enlace personal. Le rogamos que abra de nuevo el enlace de su último correo electrónico y envíe el formulario desde allí.',
        'No se ha registrado nada.',
      ],
    },
    unavailable: {
      heading: 'El servicio no está disponible en este momento',
      text: [
        'Le rogamos que vuelva a intentarlo dentro de unos minutos. Si había enviado un formulario, puede enviarlo de nuevo sin inconveniente: no se registrará dos veces.',
      ],
    },
    bad_request: {
      heading: 'No se ha podido tramitar la solicitud',
      text: [
        'No se ha podido leer el formulario, o este pedía una acción que este enlace no permite. Le rogamos que abra de nuevo el enlace de su último correo electrónico y vuelva a intentarlo, o que escriba a la secretaría.',
        'No se ha registrado nada.',
      ],
    },
  },
};

const ru: RespondStrings = {
  sentenceSeparator: ' ',
  heading: (ref) => `Страновой обзор ${ref}`,
  errorTitle: (title) => `Ошибка: ${title}`,
  intro:
    'На этой странице показано, как продвигается обзор применительно к вашему государству; здесь же можно ответить секретариату.',
  labels: {
    review: 'Обзор',
    stateUnderReview: 'Государство — объект обзора',
    yourState: 'Ваше государство',
    stage: 'Текущий этап',
    outcome: 'Ожидаемый результат',
    deadline: 'Срок',
    submission: 'Материалы вашего государства',
    acknowledgement: 'Подтверждение получения',
    requestedAt: 'Дата запроса',
    requestedDeadline: 'Предлагаемый срок',
    reason: 'Причина',
    decidedAt: 'Дата решения',
    newDeadline: 'Новый срок',
    decisionReason: 'Пояснение секретариата',
  },
  noDeadline: 'Срок не установлен.',
  submission: {
    none: 'На этом этапе представления материалов от вашего государства не требуется.',
    owing: 'Ожидаются на этом этапе.',
    reported: (at, until) =>
      ruSentence(
        `Отмечены как направленные ${at}. Секретариат подтвердит их получение; напоминания вашему государству приостановлены до ${until}`,
      ),
    received: (at) => `Получены секретариатом ${at}. Благодарим вас; других действий не требуется.`,
  },
  acknowledgement: {
    done: (at) => ruSentence(`Зарегистрировано ${at}`),
    notYet: 'Пока не зарегистрировано.',
  },
  openRequest: {
    heading: 'Запрос вашего государства о продлении срока',
    waiting:
      'Запрос ожидает решения секретариата; ответ будет направлен вам по электронной почте. До тех пор действует текущий срок.',
  },
  decision: {
    heading: 'Решение секретариата',
    approved: 'Секретариат удовлетворил запрос о продлении срока.',
    declined: 'Секретариат не смог удовлетворить запрос о продлении срока. Текущий срок остается в силе.',
  },
  notices: {
    acknowledged: 'Благодарим вас: подтверждение получения зарегистрировано.',
    already_acknowledged: 'Подтверждение получения уже было зарегистрировано ранее; ничего не изменилось.',
    reported:
      'Благодарим вас: материалы вашего государства отмечены как направленные. Секретариат подтвердит их получение; тем временем напоминания вашему государству приостанавливаются на 14 дней.',
    already_reported:
      'Материалы вашего государства уже были отмечены как направленные; ничего не изменилось.',
    extension_requested:
      'Благодарим вас: запрос о продлении срока направлен в секретариат, который ответит вам по электронной почте.',
    extension_already_open:
      'Запрос вашего государства о продлении срока уже ожидает решения секретариата; ничего не изменилось. Если вы хотите его дополнить, просим написать в секретариат.',
  },
  errorSummary: 'Запрос еще не отправлен. Просим проверить отмеченные ниже поля.',
  fieldErrors: {
    deadline: {
      missing: 'Просим указать дату, которую вы предлагаете в качестве нового срока.',
      invalid: 'Просим ввести правильную дату (год-месяц-день, например 2027-06-30).',
      not_after_deadline: 'Просим выбрать дату позднее текущего срока.',
      too_far:
        'Эта дата слишком отдалена, чтобы запросить ее здесь. Просим выбрать более раннюю дату или написать в секретариат.',
    },
    reason: {
      missing: 'Просим указать причину запроса.',
      too_long: 'Просим сократить текст причины до 1000 знаков.',
    },
  },
  acknowledge: {
    heading: 'Подтвердить получение',
    text: 'Сообщите секретариату, что вы получили уведомление об этом этапе.',
    button: 'Подтвердить получение',
  },
  report: {
    heading: 'Мы направили наши материалы',
    text: 'Если ваше государство уже направило в секретариат свои материалы по этому этапу, вы можете сообщить об этом здесь. Материалы будут отмечены как направленные, а секретариат подтвердит их получение. Тем временем напоминания вашему государству приостанавливаются на 14 дней.',
    button: 'Мы направили наши материалы',
  },
  extension: {
    heading: 'Запросить продление срока',
    text: 'Если вашему государству требуется больше времени, вы можете предложить новый срок. Секретариат рассмотрит запрос и ответит вам по электронной почте; до тех пор действует текущий срок.',
    deadlineLabel: 'Предлагаемый новый срок',
    deadlineHint: (earliest) => ruSentence(`Самая ранняя дата, которую можно предложить: ${earliest}`),
    reasonLabel: 'Причина запроса',
    reasonHint: 'Не более 1000 знаков.',
    button: 'Отправить запрос',
  },
  expertNote:
    'Как правительственный эксперт вы можете подтвердить здесь получение уведомления. От имени вашего государства отвечает его координатор, который обеспечивает представление материалов.',
  nothingToDo: 'Других действий на этой странице от вас не требуется.',
  contact: 'По всем вопросам вы можете написать в секретариат:',
  privacy:
    'Эта ссылка персональная и предназначена только для вас. Просим не пересылать ее: любой, у кого она есть, сможет ответить от имени вашего государства.',
  retryIn: plural('ru', {
    one: 'Повторить попытку можно через # минуту.',
    few: 'Повторить попытку можно через # минуты.',
    many: 'Повторить попытку можно через # минут.',
    other: 'Повторить попытку можно через # минуты.',
  }),
  refusals: {
    altered: {
      heading: 'Эта ссылка недействительна',
      text: [
        'Возможно, она была изменена или обрезана при копировании. Просим воспользоваться ссылкой из последнего письма секретариата или написать в секретариат.',
        'Ничего не зарегистрировано.',
      ],
    },
    replaced: {
      heading: 'Эта ссылка больше не действует',
      text: [
        'Она была создана для лица, которое больше не значится координатором или экспертом этого обзора. Если это ошибка, просим написать в секретариат.',
        'Ничего не зарегистрировано.',
      ],
    },
    expired: {
      heading: 'Срок действия ссылки истек',
      text: [
        'Ссылки действуют в течение 60 дней после срока этапа. Просим воспользоваться ссылкой из последнего письма секретариата или написать в секретариат.',
        'Ничего не зарегистрировано.',
      ],
    },
    stage_over: {
      heading: 'Этот этап обзора завершен',
      text: [
        'С момента отправки этой ссылки обзор перешел на другой этап. В более позднем письме содержится новая ссылка; просим воспользоваться ею или написать в секретариат.',
        'Ничего не зарегистрировано.',
      ],
    },
    rate_limited: {
      heading: 'Просим немного подождать',
      text: [
        'Эта ссылка использовалась слишком часто за короткое время. Просим подождать несколько минут и повторить попытку.',
      ],
    },
    forbidden_origin: {
      heading: 'Форму не удалось принять',
      text: [
        'В целях безопасности форму необходимо отправлять со страницы, которую открывает ваша персональная ссылка. Просим еще раз открыть ссылку из последнего письма и отправить форму оттуда.',
        'Ничего не зарегистрировано.',
      ],
    },
    unavailable: {
      heading: 'Сервис временно недоступен',
      text: [
        'Просим повторить попытку через несколько минут. Если вы отправляли форму, ее можно спокойно отправить повторно: дважды она зарегистрирована не будет.',
      ],
    },
    bad_request: {
      heading: 'Запрос не удалось обработать',
      text: [
        'Форму не удалось прочитать, или в ней запрошено действие, которое эта ссылка не позволяет выполнить. Просим еще раз открыть ссылку из последнего письма и повторить попытку или написать в секретариат.',
        'Ничего не зарегистрировано.',
      ],
    },
  },
};

const zh: RespondStrings = {
  sentenceSeparator: '',
  heading: (ref) => `国别审议${ref}`,
  errorTitle: (title) => `错误：${title}`,
  intro: '本页显示本次审议中与贵国有关的进展情况，您也可以通过本页答复秘书处。',
  labels: {
    review: '审议',
    stateUnderReview: '被审议缔约国',
    yourState: '贵国',
    stage: '当前阶段',
    outcome: '预期成果',
    deadline: '截止日期',
    submission: '贵国材料',
    acknowledgement: '确认收到',
    requestedAt: '申请日期',
    requestedDeadline: '拟议截止日期',
    reason: '理由',
    decidedAt: '决定日期',
    newDeadline: '新截止日期',
    decisionReason: '秘书处的说明',
  },
  noDeadline: '尚未设定截止日期。',
  submission: {
    none: '本阶段不需要贵国提交材料。',
    owing: '本阶段尚待提交。',
    reported: (at, until) =>
      `已于${at}报告为已发送。秘书处将在收到后予以确认；${until}之前暂停向贵国发送提醒。`,
    received: (at) => `秘书处已于${at}收到。谢谢；无需再采取任何行动。`,
  },
  acknowledgement: { done: (at) => `已于${at}登记。`, notYet: '尚未登记。' },
  openRequest: {
    heading: '贵国的延期申请',
    waiting: '该申请正在等待秘书处作出决定；答复将通过电子邮件发送给您。在此之前，现行截止日期仍然适用。',
  },
  decision: {
    heading: '秘书处的决定',
    approved: '秘书处已批准延期申请。',
    declined: '秘书处未能批准延期申请。现行截止日期仍然适用。',
  },
  notices: {
    acknowledged: '谢谢：您的确认收到已登记。',
    already_acknowledged: '您此前已确认收到；未作任何更改。',
    reported: '谢谢：贵国材料已登记为已发送。秘书处将在收到后予以确认；在此期间，暂停向贵国发送提醒14天。',
    already_reported: '贵国材料此前已登记为已发送；未作任何更改。',
    extension_requested: '谢谢：您的延期申请已发送至秘书处，秘书处将通过电子邮件答复您。',
    extension_already_open:
      '贵国已有一项延期申请正在等待秘书处作出决定；未作任何更改。如需补充，请致函秘书处。',
  },
  errorSummary: '申请尚未发送。请检查下列标出的栏目。',
  fieldErrors: {
    deadline: {
      missing: '请填写您拟议的新截止日期。',
      invalid: '请填写有效日期（年-月-日，例如2027-06-30）。',
      not_after_deadline: '请选择晚于现行截止日期的日期。',
      too_far: '该日期过远，无法通过本页申请。请选择较早的日期，或致函秘书处。',
    },
    reason: {
      missing: '请填写申请理由。',
      too_long: '请将理由缩减至1000字以内。',
    },
  },
  acknowledge: {
    heading: '确认收到',
    text: '告知秘书处您已收到关于本阶段的通知。',
    button: '确认收到',
  },
  report: {
    heading: '我们已发送材料',
    text: '如贵国已向秘书处发送本阶段的材料，可在此告知。材料将登记为已发送，秘书处将在收到后予以确认。在此期间，暂停向贵国发送提醒14天。',
    button: '我们已发送材料',
  },
  extension: {
    heading: '申请延期',
    text: '如贵国需要更多时间，可以提议新的截止日期。秘书处将审议申请并通过电子邮件答复您；在此之前，现行截止日期仍然适用。',
    deadlineLabel: '拟议的新截止日期',
    deadlineHint: (earliest) => `可提议的最早日期为${earliest}。`,
    reasonLabel: '申请理由',
    reasonHint: '不超过1000字。',
    button: '发送申请',
  },
  expertNote: '作为政府专家，您可以在此确认收到。贵国联络人代表贵国作出答复，并负责协调贵国材料的提交工作。',
  nothingToDo: '您无需在本页采取其他行动。',
  contact: '如有任何问题，请致函秘书处：',
  privacy: '此链接为您个人专用，请勿转发：任何持有此链接的人都可以代表贵国作出答复。',
  retryIn: (minutes) => `您可在${minutes}分钟后重试。`,
  refusals: {
    altered: {
      heading: '此链接无效',
      text: [
        '链接可能在复制时被改动或截断。请使用秘书处最近一封电子邮件中的链接，或致函秘书处。',
        '未登记任何内容。',
      ],
    },
    replaced: {
      heading: '此链接已失效',
      text: [
        '此链接是为一位已不再登记为本次审议联络人或专家的人员生成的。如您认为有误，请致函秘书处。',
        '未登记任何内容。',
      ],
    },
    expired: {
      heading: '此链接已过期',
      text: [
        '链接的有效期至本阶段截止日期后60天。请使用秘书处最近一封电子邮件中的链接，或致函秘书处。',
        '未登记任何内容。',
      ],
    },
    stage_over: {
      heading: '本次审议的这一阶段已经结束',
      text: [
        '自发送此链接以来，审议已进入新的阶段。较新的电子邮件中载有新的链接；请使用该链接，或致函秘书处。',
        '未登记任何内容。',
      ],
    },
    rate_limited: {
      heading: '请稍候',
      text: ['此链接在短时间内使用次数过多。请等待几分钟后重试。'],
    },
    forbidden_origin: {
      heading: '无法接受此表单',
      text: [
        '为保障安全，表单必须从您的个人链接所打开的页面发送。请重新打开最近一封电子邮件中的链接，并从该页面发送表单。',
        '未登记任何内容。',
      ],
    },
    unavailable: {
      heading: '服务暂时无法使用',
      text: ['请过几分钟后重试。如您曾发送过表单，可以放心再次发送：不会重复登记。'],
    },
    bad_request: {
      heading: '无法处理此请求',
      text: [
        '无法读取表单，或表单所请求的操作超出了此链接允许的范围。请重新打开最近一封电子邮件中的链接后重试，或致函秘书处。',
        '未登记任何内容。',
      ],
    },
  },
};

/** After "بعد": one minute, two minutes (genitive dual), 3–10 plural, 11 and more singular. */
const arMinutes = plural('ar', {
  one: 'دقيقة واحدة',
  two: 'دقيقتين',
  few: '# دقائق',
  many: '# دقيقة',
  other: '# دقيقة',
});

const ar: RespondStrings = {
  sentenceSeparator: ' ',
  heading: (ref) => `الاستعراض القُطري ${ref}`,
  errorTitle: (title) => `خطأ: ${title}`,
  intro: 'تبيّن هذه الصفحة ما وصل إليه الاستعراض بالنسبة إلى دولتكم، ويمكنكم من خلالها الرد على الأمانة.',
  labels: {
    review: 'الاستعراض',
    stateUnderReview: 'الدولة الطرف المستعرَضة',
    yourState: 'دولتكم',
    stage: 'المرحلة الحالية',
    outcome: 'النتيجة المتوقعة',
    deadline: 'الموعد النهائي',
    submission: 'مساهمة دولتكم',
    acknowledgement: 'الإقرار بالاستلام',
    requestedAt: 'تاريخ الطلب',
    requestedDeadline: 'الموعد النهائي المقترح',
    reason: 'السبب',
    decidedAt: 'تاريخ القرار',
    newDeadline: 'الموعد النهائي الجديد',
    decisionReason: 'إيضاح الأمانة',
  },
  noDeadline: 'لم يُحدَّد موعد نهائي.',
  submission: {
    none: 'لا يُطلب من دولتكم تقديم مساهمة في هذه المرحلة.',
    owing: 'مُنتظَرة في هذه المرحلة.',
    reported: (at, until) =>
      `أُبلغ عن إرسالها في ${at}. وستؤكد الأمانة استلامها؛ وقد عُلِّقت رسائل التذكير الموجهة إلى دولتكم حتى ${until}.`,
    received: (at) => `تلقّتها الأمانة في ${at}. شكرًا لكم؛ ولا يلزم اتخاذ أي إجراء آخر.`,
  },
  acknowledgement: { done: (at) => `سُجِّل في ${at}.`, notYet: 'لم يُسجَّل بعد.' },
  openRequest: {
    heading: 'طلب دولتكم تمديد الموعد النهائي',
    waiting:
      'هذا الطلب في انتظار قرار الأمانة؛ وسيصلكم الرد بالبريد الإلكتروني. وإلى ذلك الحين، يظل الموعد النهائي الحالي ساريًا.',
  },
  decision: {
    heading: 'قرار الأمانة',
    approved: 'وافقت الأمانة على طلب تمديد الموعد النهائي.',
    declined: 'تعذّر على الأمانة الموافقة على طلب تمديد الموعد النهائي. ويظل الموعد النهائي الحالي ساريًا.',
  },
  notices: {
    acknowledged: 'شكرًا لكم: سُجِّل إقراركم بالاستلام.',
    already_acknowledged: 'كان إقراركم بالاستلام مسجَّلًا من قبل؛ ولم يتغيّر شيء.',
    reported:
      'شكرًا لكم: سُجِّلت مساهمة دولتكم على أنها أُرسلت. وستؤكد الأمانة استلامها؛ وفي الأثناء، تُعلَّق رسائل التذكير الموجهة إلى دولتكم مدة 14 يومًا.',
    already_reported: 'كانت مساهمة دولتكم مسجَّلة من قبل على أنها أُرسلت؛ ولم يتغيّر شيء.',
    extension_requested:
      'شكرًا لكم: أُرسل طلبكم تمديد الموعد النهائي إلى الأمانة، وسترد عليكم بالبريد الإلكتروني.',
    extension_already_open:
      'يوجد بالفعل طلب تمديد مقدَّم من دولتكم في انتظار قرار الأمانة؛ ولم يتغيّر شيء. وإذا رغبتم في استكماله، يمكنكم الكتابة إلى الأمانة.',
  },
  errorSummary: 'لم يُرسَل الطلب بعد. يُرجى مراجعة الحقول المشار إليها أدناه.',
  fieldErrors: {
    deadline: {
      missing: 'يُرجى إدخال التاريخ الذي تقترحونه موعدًا نهائيًا جديدًا.',
      invalid: 'يُرجى إدخال تاريخ صحيح (السنة-الشهر-اليوم، مثل 2027-06-30).',
      not_after_deadline: 'يُرجى اختيار تاريخ لاحق للموعد النهائي الحالي.',
      too_far:
        'هذا التاريخ بعيد جدًا بحيث لا يمكن طلبه من خلال هذه الصفحة. يُرجى اختيار تاريخ أقرب، أو الكتابة إلى الأمانة.',
    },
    reason: {
      missing: 'يُرجى بيان سبب الطلب.',
      too_long: 'يُرجى اختصار السبب بحيث لا يتجاوز 1000 حرف.',
    },
  },
  acknowledge: {
    heading: 'الإقرار بالاستلام',
    text: 'أبلغوا الأمانة بأنكم تلقيتم الإشعار المتعلق بهذه المرحلة.',
    button: 'الإقرار بالاستلام',
  },
  report: {
    heading: 'أرسلنا مساهمتنا',
    text: 'إذا كانت دولتكم قد أرسلت بالفعل مساهمتها في هذه المرحلة إلى الأمانة، يمكنكم الإبلاغ عن ذلك هنا. وستُسجَّل المساهمة على أنها أُرسلت، وستؤكد الأمانة استلامها. وفي الأثناء، تُعلَّق رسائل التذكير الموجهة إلى دولتكم مدة 14 يومًا.',
    button: 'أرسلنا مساهمتنا',
  },
  extension: {
    heading: 'طلب تمديد الموعد النهائي',
    text: 'إذا احتاجت دولتكم إلى مزيد من الوقت، يمكنكم اقتراح موعد نهائي جديد. وستنظر الأمانة في الطلب وترد عليكم بالبريد الإلكتروني؛ وإلى ذلك الحين، يظل الموعد النهائي الحالي ساريًا.',
    deadlineLabel: 'الموعد النهائي الجديد المقترح',
    deadlineHint: (earliest) => `أقرب تاريخ يمكن اقتراحه هو ${earliest}.`,
    reasonLabel: 'سبب الطلب',
    reasonHint: 'بحد أقصى 1000 حرف.',
    button: 'إرسال الطلب',
  },
  expertNote:
    'بصفتكم خبيرًا حكوميًا، يمكنكم الإقرار بالاستلام هنا. وتتولى جهة الوصل الرد باسم دولتكم وتنسيق تقديم مساهمتها.',
  nothingToDo: 'لا يُطلب منكم اتخاذ أي إجراء آخر في هذه الصفحة.',
  contact: 'لأي استفسار، يُرجى الكتابة إلى الأمانة:',
  privacy:
    'هذا الرابط شخصي ومخصص لكم وحدكم. يُرجى عدم إعادة توجيهه، إذ يمكن لأي شخص يحوزه أن يرد باسم دولتكم.',
  retryIn: (minutes) => `يمكنكم المحاولة مرة أخرى بعد ${arMinutes(minutes)}.`,
  refusals: {
    altered: {
      heading: 'هذا الرابط غير صالح',
      text: [
        'ربما تغيّر الرابط أو اقتُطع جزء منه عند نسخه. يُرجى استخدام الرابط الوارد في آخر رسالة بريد إلكتروني من الأمانة، أو الكتابة إلى الأمانة.',
        'لم يُسجَّل أي شيء.',
      ],
    },
    replaced: {
      heading: 'هذا الرابط لم يعد نشطًا',
      text: [
        'أُنشئ هذا الرابط لشخص لم يعد مسجَّلًا بصفته جهة وصل أو خبيرًا لهذا الاستعراض. وإذا كنتم تعتقدون أن في ذلك خطأ، يُرجى الكتابة إلى الأمانة.',
        'لم يُسجَّل أي شيء.',
      ],
    },
    expired: {
      heading: 'انتهت صلاحية هذا الرابط',
      text: [
        'تظل الروابط صالحة حتى 60 يومًا بعد الموعد النهائي للمرحلة. يُرجى استخدام الرابط الوارد في آخر رسالة بريد إلكتروني من الأمانة، أو الكتابة إلى الأمانة.',
        'لم يُسجَّل أي شيء.',
      ],
    },
    stage_over: {
      heading: 'انتهت هذه المرحلة من الاستعراض',
      text: [
        'انتقل الاستعراض إلى مرحلة أخرى منذ إرسال هذا الرابط. وتتضمن رسالة أحدث رابطًا جديدًا؛ يُرجى استخدامه، أو الكتابة إلى الأمانة.',
        'لم يُسجَّل أي شيء.',
      ],
    },
    rate_limited: {
      heading: 'يُرجى الانتظار قليلًا',
      text: ['استُخدم هذا الرابط مرات كثيرة في وقت قصير. يُرجى الانتظار بضع دقائق ثم المحاولة مرة أخرى.'],
    },
    forbidden_origin: {
      heading: 'تعذّر قبول هذا النموذج',
      text: [
        'حفاظًا على أمنكم، يجب إرسال النموذج من الصفحة التي يفتحها رابطكم الشخصي. يُرجى فتح الرابط الوارد في آخر رسالة بريد إلكتروني مرة أخرى وإرسال النموذج من هناك.',
        'لم يُسجَّل أي شيء.',
      ],
    },
    unavailable: {
      heading: 'الخدمة غير متاحة مؤقتًا',
      text: [
        'يُرجى المحاولة مرة أخرى بعد بضع دقائق. وإذا كنتم قد أرسلتم نموذجًا، يمكنكم إرساله مرة أخرى دون قلق، فلن يُسجَّل مرتين.',
      ],
    },
    bad_request: {
      heading: 'تعذّرت معالجة هذا الطلب',
      text: [
        'تعذّرت قراءة النموذج، أو أنه طلب إجراءً لا يتيحه هذا الرابط. يُرجى فتح الرابط الوارد في آخر رسالة بريد إلكتروني مرة أخرى والمحاولة من جديد، أو الكتابة إلى الأمانة.',
        'لم يُسجَّل أي شيء.',
      ],
    },
  },
};

/** The page's strings in each UN language. */
export const RESPOND_TEXT: Record<Language, RespondStrings> = { ar, en, es, fr, ru, zh };
