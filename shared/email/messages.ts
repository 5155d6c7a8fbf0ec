import type { Language } from '#shared/domain/review.ts';

/**
 * Focal-point mail strings in the six UN languages. Terms follow the Review Mechanism's own
 * documents (country review, State party under review, focal point, cluster, list of
 * observations). The tone is courteous and non-punitive: the Mechanism is non-ranking, so a
 * reminder helps and offers the Secretariat's support; it never blames.
 */

/** The UNTOC process's stage ids (DESIGN §2). */
export type UntocStageId =
  | 'launched'
  | 'self_assessment'
  | 'desk_review'
  | 'dialogue'
  | 'observations'
  | 'summary'
  | 'completed';

type Instrument = 'UNTOC' | 'TIP' | 'SOM' | 'FIREARMS';

/** Every string one language needs. `days` is a count as it reads after "in" or "ago". */
export interface FocalPointStrings {
  days: (n: number) => string;
  listSeparator: string;
  none: string;
  stages: Record<UntocStageId, string>;
  /** What closes each stage, for the UNTOC process's own wording of it. */
  closes: Record<UntocStageId, string>;
  instruments: Record<Instrument, string>;
  greeting: (name: string) => string;
  subject: {
    stage_notice: (sur: string, cluster: number, stage: string) => string;
    reminder: (sur: string, stage: string, days: number | undefined) => string;
    overdue_notice: (sur: string, stage: string) => string;
  };
  body: {
    stage_notice: (sur: string, stage: string) => string;
    /** The recipient's State must act in the stage. */
    act: (state: string) => string;
    /** The recipient's State has nothing to do in the stage. */
    info: (state: string) => string;
    reminder: (sur: string, stage: string, days: number | undefined) => string;
    reminderNote: string;
    overdue_notice: (sur: string, stage: string, days: number | undefined) => string;
    overdueNote: string;
  };
  labels: {
    review: string;
    stateUnderReview: string;
    cluster: string;
    instruments: string;
    stage: string;
    outcome: string;
    responsible: string;
    deadline: string;
    daysLeft: string;
    daysSince: string;
  };
  thanks: string;
  signOff: string[];
  footer: string;
}

/** Picks a plural form with the language's CLDR rules. */
function plural(language: Language, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }) {
  const rules = new Intl.PluralRules(language);
  return (n: number): string => (forms[rules.select(n)] ?? forms.other).replace('#', String(n));
}

const en: FocalPointStrings = {
  days: plural('en', { one: '# day', other: '# days' }),
  listSeparator: ', ',
  none: 'none',
  stages: {
    launched: 'Launch',
    self_assessment: 'Self-assessment',
    desk_review: 'Desk review',
    dialogue: 'Constructive dialogue',
    observations: 'List of observations',
    summary: 'Summary of the list of observations',
    completed: 'Completed',
  },
  closes: {
    launched: 'focal points and experts nominated',
    self_assessment: 'self-assessment questionnaire answered',
    desk_review: 'written feedback sent',
    dialogue: 'clarifications settled',
    observations: 'list of observations agreed',
    summary: 'summary of the list of observations agreed',
    completed: 'list sent to the working groups',
  },
  instruments: {
    UNTOC: 'Organized Crime Convention',
    TIP: 'Trafficking in Persons Protocol',
    SOM: 'Smuggling of Migrants Protocol',
    FIREARMS: 'Firearms Protocol',
  },
  greeting: (name) => `Dear ${name},`,
  subject: {
    stage_notice: (sur, cluster, stage) => `Review of ${sur} (cluster ${cluster}): new stage – ${stage}`,
    reminder: (sur, stage, days) =>
      `Reminder – review of ${sur}: ${stage} ${days === undefined ? 'deadline approaching' : days === 0 ? 'due today' : `due in ${en.days(days)}`}`,
    overdue_notice: (sur, stage) => `Review of ${sur}: ${stage} deadline has passed`,
  },
  body: {
    stage_notice: (sur, stage) =>
      `The review of ${sur} under the UNTOC Review Mechanism has entered a new stage: ${stage}.`,
    act: (state) =>
      `As focal point for ${state}, you are among those asked to act in this stage. We would be grateful if the work could be completed by the deadline indicated.`,
    info: (state) =>
      `No action is requested from ${state} in this stage; this notice is for your information.`,
    reminder: (sur, stage, days) =>
      `This is a courtesy reminder that the ${stage} stage of the review of ${sur} ${days === undefined ? 'is approaching its deadline' : days === 0 ? 'is due today' : `is due in ${en.days(days)}`}.`,
    reminderNote:
      'If the work has already been completed, please disregard this message. Should you need more time or any assistance, please contact the Secretariat.',
    overdue_notice: (sur, stage, days) =>
      `The deadline for the ${stage} stage of the review of ${sur} has passed${days === undefined ? '' : ` (${en.days(days)} ago)`}.`,
    overdueNote:
      'We understand that delays can occur. We would be grateful if the remaining work could be completed at your earliest convenience, and we invite you to contact the Secretariat if more time or assistance is needed.',
  },
  labels: {
    review: 'Review reference',
    stateUnderReview: 'State under review',
    cluster: 'Cluster',
    instruments: 'Instruments',
    stage: 'Stage',
    outcome: 'Expected outcome',
    responsible: 'Action required from',
    deadline: 'Deadline',
    daysLeft: 'Days remaining',
    daysSince: 'Days since the deadline',
  },
  thanks: 'Thank you for your cooperation.',
  signOff: [
    'Kind regards,',
    'Secretariat of the Review Mechanism',
    'United Nations Office on Drugs and Crime',
  ],
  footer: 'This is an automated message sent to the focal points of this review.',
};

const fr: FocalPointStrings = {
  days: plural('fr', { one: '# jour', other: '# jours' }),
  listSeparator: ', ',
  none: 'aucun',
  stages: {
    launched: 'Lancement',
    self_assessment: 'Auto-évaluation',
    desk_review: 'Examen sur dossier',
    dialogue: 'Dialogue constructif',
    observations: "Liste d'observations",
    summary: "Résumé de la liste d'observations",
    completed: 'Examen achevé',
  },
  closes: {
    launched: 'désignation des points de contact et des experts',
    self_assessment: "réponses au questionnaire d'auto-évaluation communiquées",
    desk_review: 'observations écrites transmises',
    dialogue: 'éclaircissements apportés',
    observations: "liste d'observations arrêtée d'un commun accord",
    summary: "résumé de la liste d'observations arrêté d'un commun accord",
    completed: 'liste transmise aux groupes de travail',
  },
  instruments: {
    UNTOC: 'Convention contre la criminalité organisée',
    TIP: 'Protocole relatif à la traite des personnes',
    SOM: 'Protocole relatif au trafic illicite de migrants',
    FIREARMS: 'Protocole relatif aux armes à feu',
  },
  greeting: (name) => `Bonjour ${name},`,
  subject: {
    stage_notice: (sur, cluster, stage) =>
      `Examen de ${sur} (groupe thématique ${cluster})\u00a0: nouvelle étape – ${stage}`,
    reminder: (sur, stage, days) =>
      `Rappel – examen de ${sur}\u00a0: ${stage}, ${days === undefined ? 'échéance proche' : days === 0 ? "échéance aujourd'hui" : `échéance dans ${fr.days(days)}`}`,
    overdue_notice: (sur, stage) =>
      `Examen de ${sur}\u00a0: la date limite de l'étape «\u00a0${stage}\u00a0» est passée`,
  },
  body: {
    stage_notice: (sur, stage) =>
      `L'examen de ${sur} au titre du Mécanisme d'examen de l'application de la Convention contre la criminalité organisée est entré dans une nouvelle étape\u00a0: ${stage}.`,
    act: (state) =>
      `En tant que point de contact pour ${state}, vous faites partie des personnes appelées à agir au cours de cette étape. Nous vous serions reconnaissants de bien vouloir achever les travaux d'ici la date limite indiquée.`,
    info: (state) =>
      `Aucune action n'est attendue de ${state} au cours de cette étape\u00a0; ce message vous est adressé pour information.`,
    reminder: (sur, stage, days) =>
      `Nous nous permettons de vous rappeler que l'étape «\u00a0${stage}\u00a0» de l'examen de ${sur} ${days === undefined ? 'arrive bientôt à échéance' : days === 0 ? "arrive à échéance aujourd'hui" : `arrive à échéance dans ${fr.days(days)}`}.`,
    reminderNote:
      "Si les travaux sont déjà achevés, veuillez ne pas tenir compte de ce message. Si vous avez besoin d'un délai supplémentaire ou d'une assistance, n'hésitez pas à contacter le secrétariat.",
    overdue_notice: (sur, stage, days) =>
      `La date limite de l'étape «\u00a0${stage}\u00a0» de l'examen de ${sur} est passée${days === undefined ? '' : ` (depuis ${fr.days(days)})`}.`,
    overdueNote:
      "Nous savons que des retards peuvent survenir. Nous vous serions reconnaissants de bien vouloir achever les travaux restants dès que possible et vous invitons à contacter le secrétariat si vous avez besoin d'un délai supplémentaire ou d'une assistance.",
  },
  labels: {
    review: "Référence de l'examen",
    stateUnderReview: 'État partie examiné',
    cluster: 'Groupe thématique',
    instruments: 'Instruments',
    stage: 'Étape',
    outcome: 'Résultat attendu',
    responsible: 'Action attendue de',
    deadline: 'Date limite',
    daysLeft: 'Jours restants',
    daysSince: 'Jours écoulés depuis la date limite',
  },
  thanks: 'Nous vous remercions de votre coopération.',
  signOff: [
    'Cordialement,',
    "Le secrétariat du Mécanisme d'examen",
    'Office des Nations Unies contre la drogue et le crime',
  ],
  footer: 'Ce message automatique est adressé aux points de contact de cet examen.',
};

const es: FocalPointStrings = {
  days: plural('es', { one: '# día', other: '# días' }),
  listSeparator: ', ',
  none: 'ninguno',
  stages: {
    launched: 'Inicio',
    self_assessment: 'Autoevaluación',
    desk_review: 'Examen documental',
    dialogue: 'Diálogo constructivo',
    observations: 'Lista de observaciones',
    summary: 'Resumen de la lista de observaciones',
    completed: 'Examen concluido',
  },
  closes: {
    launched: 'designación de los coordinadores y los expertos',
    self_assessment: 'respuestas al cuestionario de autoevaluación presentadas',
    desk_review: 'observaciones por escrito enviadas',
    dialogue: 'aclaraciones resueltas',
    observations: 'lista de observaciones acordada',
    summary: 'resumen de la lista de observaciones acordado',
    completed: 'lista remitida a los grupos de trabajo',
  },
  instruments: {
    UNTOC: 'Convención contra la Delincuencia Organizada',
    TIP: 'Protocolo contra la Trata de Personas',
    SOM: 'Protocolo contra el Tráfico Ilícito de Migrantes',
    FIREARMS: 'Protocolo sobre Armas de Fuego',
  },
  greeting: (name) => `Estimado/a ${name}:`,
  subject: {
    stage_notice: (sur, cluster, stage) =>
      `Examen de ${sur} (grupo temático ${cluster}): nueva etapa – ${stage}`,
    reminder: (sur, stage, days) =>
      `Recordatorio – examen de ${sur}: ${stage}, ${days === undefined ? 'plazo próximo' : days === 0 ? 'vence hoy' : `vence dentro de ${es.days(days)}`}`,
    overdue_notice: (sur, stage) => `Examen de ${sur}: ha vencido el plazo de la etapa «${stage}»`,
  },
  body: {
    stage_notice: (sur, stage) =>
      `El examen de ${sur} en el marco del Mecanismo de Examen de la Aplicación de la Convención contra la Delincuencia Organizada ha entrado en una nueva etapa: ${stage}.`,
    act: (state) =>
      `Como coordinador/a de ${state}, usted se encuentra entre quienes deben actuar en esta etapa. Le agradeceríamos que los trabajos concluyeran dentro del plazo indicado.`,
    info: (state) =>
      `En esta etapa no se requiere ninguna acción de ${state}; el presente aviso se envía a título informativo.`,
    reminder: (sur, stage, days) =>
      `Le recordamos cordialmente que la etapa «${stage}» del examen de ${sur} ${days === undefined ? 'está próxima a vencer' : days === 0 ? 'vence hoy' : `vence dentro de ${es.days(days)}`}.`,
    reminderNote:
      'Si los trabajos ya han concluido, le rogamos que no tenga en cuenta este mensaje. Si necesita más tiempo o asistencia, no dude en ponerse en contacto con la secretaría.',
    overdue_notice: (sur, stage, days) =>
      `El plazo de la etapa «${stage}» del examen de ${sur} ha vencido${days === undefined ? '' : ` (hace ${es.days(days)})`}.`,
    overdueNote:
      'Entendemos que pueden producirse retrasos. Le agradeceríamos que los trabajos pendientes concluyeran a la mayor brevedad posible y le invitamos a ponerse en contacto con la secretaría si necesita más tiempo o asistencia.',
  },
  labels: {
    review: 'Referencia del examen',
    stateUnderReview: 'Estado parte examinado',
    cluster: 'Grupo temático',
    instruments: 'Instrumentos',
    stage: 'Etapa',
    outcome: 'Resultado esperado',
    responsible: 'Acción requerida de',
    deadline: 'Plazo',
    daysLeft: 'Días restantes',
    daysSince: 'Días transcurridos desde el plazo',
  },
  thanks: 'Le agradecemos su cooperación.',
  signOff: [
    'Atentamente,',
    'Secretaría del Mecanismo de Examen',
    'Oficina de las Naciones Unidas contra la Droga y el Delito',
  ],
  footer: 'Este es un mensaje automático dirigido a los coordinadores de este examen.',
};

const ru: FocalPointStrings = {
  days: plural('ru', { one: '# день', few: '# дня', many: '# дней', other: '# дня' }),
  listSeparator: ', ',
  none: 'нет',
  stages: {
    launched: 'Начало обзора',
    self_assessment: 'Самооценка',
    desk_review: 'Кабинетный обзор',
    dialogue: 'Конструктивный диалог',
    observations: 'Перечень замечаний',
    summary: 'Резюме перечня замечаний',
    completed: 'Обзор завершен',
  },
  closes: {
    launched: 'назначение координаторов и экспертов',
    self_assessment: 'представление ответов на вопросник для самооценки',
    desk_review: 'направление письменных отзывов',
    dialogue: 'получение необходимых разъяснений',
    observations: 'согласование перечня замечаний',
    summary: 'согласование резюме перечня замечаний',
    completed: 'направление перечня рабочим группам',
  },
  instruments: {
    UNTOC: 'Конвенция против организованной преступности',
    TIP: 'Протокол о торговле людьми',
    SOM: 'Протокол о незаконном ввозе мигрантов',
    FIREARMS: 'Протокол об огнестрельном оружии',
  },
  greeting: (name) => `Уважаемый(-ая) ${name}!`,
  subject: {
    stage_notice: (sur, cluster, stage) =>
      `Страновой обзор ${sur} (тематический блок ${cluster}): новый этап — ${stage}`,
    reminder: (sur, stage, days) =>
      `Напоминание — страновой обзор ${sur}: этап «${stage}», ${days === undefined ? 'срок приближается' : days === 0 ? 'срок истекает сегодня' : `срок истекает через ${ru.days(days)}`}`,
    overdue_notice: (sur, stage) => `Страновой обзор ${sur}: срок этапа «${stage}» истек`,
  },
  body: {
    stage_notice: (sur, stage) =>
      `Страновой обзор ${sur} в рамках Механизма обзора хода осуществления Конвенции против организованной преступности перешел на новый этап: «${stage}».`,
    act: (state) =>
      `Как координатор от ${state}, вы входите в число тех, от кого на этом этапе требуются действия. Просим вас по возможности завершить работу до указанного срока.`,
    info: (state) =>
      `На этом этапе от ${state} никаких действий не требуется; настоящее уведомление направляется для сведения.`,
    reminder: (sur, stage, days) =>
      `Позвольте напомнить, что срок этапа «${stage}» странового обзора ${sur} ${days === undefined ? 'скоро истекает' : days === 0 ? 'истекает сегодня' : `истекает через ${ru.days(days)}`}.`,
    reminderNote:
      'Если работа уже завершена, просим не принимать это сообщение во внимание. Если вам требуется дополнительное время или помощь, просим связаться с секретариатом.',
    overdue_notice: (sur, stage, days) =>
      `Срок этапа «${stage}» странового обзора ${sur} истек${days === undefined ? '' : ` (${ru.days(days)} назад)`}.`,
    overdueNote:
      'Мы понимаем, что задержки возможны. Будем признательны, если оставшаяся работа будет завершена в кратчайшие сроки, и просим вас связаться с секретариатом, если требуется дополнительное время или помощь.',
  },
  labels: {
    review: 'Номер обзора',
    stateUnderReview: 'Государство — объект обзора',
    cluster: 'Тематический блок',
    instruments: 'Документы',
    stage: 'Этап',
    outcome: 'Ожидаемый результат',
    responsible: 'Действия требуются от',
    deadline: 'Срок',
    daysLeft: 'Осталось дней',
    daysSince: 'Дней после истечения срока',
  },
  thanks: 'Благодарим вас за сотрудничество.',
  signOff: [
    'С уважением,',
    'Секретариат Механизма обзора',
    'Управление Организации Объединенных Наций по наркотикам и преступности',
  ],
  footer: 'Это автоматическое сообщение направлено координаторам данного обзора.',
};

const zh: FocalPointStrings = {
  days: (n) => `${n}天`,
  listSeparator: '、',
  none: '无',
  stages: {
    launched: '启动',
    self_assessment: '自评',
    desk_review: '案头审议',
    dialogue: '建设性对话',
    observations: '意见清单',
    summary: '意见清单摘要',
    completed: '审议完成',
  },
  closes: {
    launched: '指定联络人和专家',
    self_assessment: '提交自评问卷答复',
    desk_review: '发送书面反馈',
    dialogue: '澄清事项得到解决',
    observations: '就意见清单达成一致',
    summary: '就意见清单摘要达成一致',
    completed: '清单送交各工作组',
  },
  instruments: {
    UNTOC: '《有组织犯罪公约》',
    TIP: '《贩运人口议定书》',
    SOM: '《偷运移民议定书》',
    FIREARMS: '《枪支议定书》',
  },
  greeting: (name) => `尊敬的${name}：`,
  subject: {
    stage_notice: (sur, cluster, stage) => `${sur}国别审议（专题组${cluster}）：进入新阶段——${stage}`,
    reminder: (sur, stage, days) =>
      `提醒：${sur}国别审议“${stage}”阶段${days === undefined ? '即将截止' : days === 0 ? '今天截止' : `将于${zh.days(days)}后截止`}`,
    overdue_notice: (sur, stage) => `${sur}国别审议：“${stage}”阶段截止日期已过`,
  },
  body: {
    stage_notice: (sur, stage) => `${sur}在《有组织犯罪公约》审议机制下的国别审议已进入新阶段：${stage}。`,
    act: (state) =>
      `作为${state}的联络人，您是本阶段需采取行动的各方之一。如能在所列截止日期前完成相关工作，我们将不胜感激。`,
    info: (state) => `本阶段不需要${state}采取行动；本通知仅供参考。`,
    reminder: (sur, stage, days) =>
      `谨此提醒，${sur}国别审议的“${stage}”阶段${days === undefined ? '即将截止' : days === 0 ? '将于今天截止' : `将于${zh.days(days)}后截止`}。`,
    reminderNote: '如相关工作已经完成，请忽略本邮件。如需更多时间或协助，请与秘书处联系。',
    overdue_notice: (sur, stage, days) =>
      `${sur}国别审议的“${stage}”阶段截止日期已过${days === undefined ? '' : `（已过${zh.days(days)}）`}。`,
    overdueNote:
      '我们理解工作中可能出现延误。如能尽早完成剩余工作，我们将不胜感激；如需更多时间或协助，欢迎与秘书处联系。',
  },
  labels: {
    review: '审议编号',
    stateUnderReview: '被审议缔约国',
    cluster: '专题组',
    instruments: '文书',
    stage: '阶段',
    outcome: '预期成果',
    responsible: '需采取行动的缔约国',
    deadline: '截止日期',
    daysLeft: '剩余天数',
    daysSince: '截止日期后已过天数',
  },
  thanks: '感谢您的合作。',
  signOff: ['此致', '敬礼', '审议机制秘书处', '联合国毒品和犯罪问题办公室'],
  footer: '此为自动发送给本次审议各联络人的邮件。',
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
  none: 'لا أحد',
  stages: {
    launched: 'بدء الاستعراض',
    self_assessment: 'التقييم الذاتي',
    desk_review: 'الاستعراض المكتبي',
    dialogue: 'الحوار البنّاء',
    observations: 'قائمة الملاحظات',
    summary: 'موجز قائمة الملاحظات',
    completed: 'اكتمال الاستعراض',
  },
  closes: {
    launched: 'تسمية جهات الوصل والخبراء',
    self_assessment: 'تقديم الردود على استبيان التقييم الذاتي',
    desk_review: 'إرسال التعليقات المكتوبة',
    dialogue: 'تسوية المسائل التي تحتاج إلى استيضاح',
    observations: 'الاتفاق على قائمة الملاحظات',
    summary: 'الاتفاق على موجز قائمة الملاحظات',
    completed: 'إحالة القائمة إلى الأفرقة العاملة',
  },
  instruments: {
    UNTOC: 'اتفاقية الجريمة المنظمة',
    TIP: 'بروتوكول الاتجار بالأشخاص',
    SOM: 'بروتوكول تهريب المهاجرين',
    FIREARMS: 'بروتوكول الأسلحة النارية',
  },
  greeting: (name) => `السيد/السيدة ${name} المحترم/المحترمة،`,
  subject: {
    stage_notice: (sur, cluster, stage) =>
      `استعراض ${sur} (المجموعة المواضيعية ${cluster}): مرحلة جديدة – ${stage}`,
    reminder: (sur, stage, days) =>
      `تذكير – استعراض ${sur}: مرحلة «${stage}» ${days === undefined ? 'تقترب من موعدها النهائي' : days === 0 ? 'تنتهي اليوم' : `تنتهي بعد ${ar.days(days)}`}`,
    overdue_notice: (sur, stage) => `استعراض ${sur}: انقضى الموعد النهائي لمرحلة «${stage}»`,
  },
  body: {
    stage_notice: (sur, stage) =>
      `انتقل استعراض ${sur} في إطار آلية استعراض تنفيذ اتفاقية الجريمة المنظمة إلى مرحلة جديدة: ${stage}.`,
    act: (state) =>
      `بصفتكم جهة الوصل عن ${state}، فإنكم من بين المطلوب منهم اتخاذ إجراء في هذه المرحلة. ونكون ممتنين لو أمكن إنجاز العمل قبل الموعد النهائي المحدد.`,
    info: (state) => `لا يُطلب من ${state} اتخاذ أي إجراء في هذه المرحلة؛ ويُرسَل هذا الإشعار للعلم.`,
    reminder: (sur, stage, days) =>
      `نودّ أن نذكّركم بأن مرحلة «${stage}» من استعراض ${sur} ${days === undefined ? 'تقترب من موعدها النهائي' : days === 0 ? 'تنتهي اليوم' : `تنتهي بعد ${ar.days(days)}`}.`,
    reminderNote:
      'إذا كان العمل قد أُنجز بالفعل، يُرجى تجاهل هذه الرسالة. وإذا احتجتم إلى مزيد من الوقت أو إلى المساعدة، يُرجى التواصل مع الأمانة.',
    overdue_notice: (sur, stage, days) =>
      `انقضى الموعد النهائي لمرحلة «${stage}» من استعراض ${sur}${days === undefined ? '' : ` (منذ ${ar.days(days)})`}.`,
    overdueNote:
      'ندرك أن التأخير قد يحدث. ونكون ممتنين لو أمكن إنجاز العمل المتبقي في أقرب وقت ممكن، ونرجو منكم التواصل مع الأمانة إذا احتجتم إلى مزيد من الوقت أو إلى المساعدة.',
  },
  labels: {
    review: 'المرجع',
    stateUnderReview: 'الدولة الطرف المستعرَضة',
    cluster: 'المجموعة المواضيعية',
    instruments: 'الصكوك',
    stage: 'المرحلة',
    outcome: 'النتيجة المتوقعة',
    responsible: 'الدول المطلوب منها اتخاذ إجراء',
    deadline: 'الموعد النهائي',
    daysLeft: 'الأيام المتبقية',
    daysSince: 'الأيام المنقضية منذ الموعد النهائي',
  },
  thanks: 'شكرًا لتعاونكم.',
  signOff: ['مع خالص التحيات،', 'أمانة آلية الاستعراض', 'مكتب الأمم المتحدة المعني بالمخدرات والجريمة'],
  footer: 'هذه رسالة آلية مرسلة إلى جهات الوصل المعنية بهذا الاستعراض.',
};

/** The strings of each UN language. */
export const MESSAGES: Record<Language, FocalPointStrings> = { ar, en, es, fr, ru, zh };
