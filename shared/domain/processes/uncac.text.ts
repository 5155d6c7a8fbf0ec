import type { ProcessText } from '../process-definition.ts';

/**
 * The UNCAC process's words in the six UN languages: stage names, what closes each stage, the
 * Convention and what a review cycle is called. Terms follow the Implementation Review
 * Mechanism's own documents (self-assessment checklist, country review report, executive
 * summary); they still need the UN language services' review.
 */
export const UNCAC_TEXT: ProcessText = {
  ar: {
    name: 'آلية استعراض تنفيذ اتفاقية الأمم المتحدة لمكافحة الفساد',
    cluster: 'دورة الاستعراض',
    stages: {
      launched: 'بدء الاستعراض',
      self_assessment: 'قائمة التقييم الذاتي المرجعية',
      desk_review: 'الاستعراض المكتبي',
      dialogue: 'الحوار النشط',
      country_report: 'التقرير القطري والخلاصة',
      completed: 'اكتمال الاستعراض',
    },
    closes: {
      launched: 'تسمية جهات الوصل',
      self_assessment: 'تقديم قائمة التقييم الذاتي المرجعية الشاملة',
      desk_review: 'إرسال نتائج الاستعراض المكتبي',
      dialogue: 'تسوية المسائل التي تحتاج إلى استيضاح',
      country_report: 'الاتفاق على التقرير القطري والخلاصة',
      completed: 'انتهاء الاستعراض',
    },
    instruments: { UNCAC: 'اتفاقية الأمم المتحدة لمكافحة الفساد' },
  },
  en: {
    name: 'Implementation Review Mechanism of the Convention against Corruption',
    cluster: 'Review cycle',
    stages: {
      launched: 'Launch',
      self_assessment: 'Self-assessment checklist',
      desk_review: 'Desk review',
      dialogue: 'Active dialogue',
      country_report: 'Country report and executive summary',
      completed: 'Completed',
    },
    closes: {
      launched: 'focal point nominated',
      self_assessment: 'comprehensive self-assessment checklist submitted',
      desk_review: 'outcome of the desk review sent',
      dialogue: 'clarifications settled',
      country_report: 'country review report and executive summary agreed',
      completed: 'review ended',
    },
    instruments: { UNCAC: 'Convention against Corruption' },
  },
  es: {
    name: 'Mecanismo de Examen de la Aplicación de la Convención contra la Corrupción',
    cluster: 'Ciclo de examen',
    stages: {
      launched: 'Inicio',
      self_assessment: 'Lista de verificación para la autoevaluación',
      desk_review: 'Examen documental',
      dialogue: 'Diálogo activo',
      country_report: 'Informe sobre el examen del país y resumen',
      completed: 'Concluido',
    },
    closes: {
      launched: 'designación del coordinador',
      self_assessment: 'lista amplia de verificación para la autoevaluación presentada',
      desk_review: 'resultado del examen documental enviado',
      dialogue: 'aclaraciones resueltas',
      country_report: 'informe sobre el examen del país y resumen acordados',
      completed: 'examen concluido',
    },
    instruments: { UNCAC: 'Convención contra la Corrupción' },
  },
  fr: {
    name: "Mécanisme d'examen de l'application de la Convention contre la corruption",
    cluster: "Cycle d'examen",
    stages: {
      launched: 'Lancement',
      self_assessment: "Liste de contrôle pour l'auto-évaluation",
      desk_review: 'Examen sur dossier',
      dialogue: 'Dialogue actif',
      country_report: 'Rapport de pays et résumé analytique',
      completed: 'Terminé',
    },
    closes: {
      launched: 'désignation du point de contact',
      self_assessment: "liste de contrôle détaillée pour l'auto-évaluation communiquée",
      desk_review: "résultats de l'examen sur dossier communiqués",
      dialogue: 'questions en suspens réglées',
      country_report: "rapport d'examen de pays et résumé analytique approuvés",
      completed: 'examen terminé',
    },
    instruments: { UNCAC: 'Convention contre la corruption' },
  },
  ru: {
    name: 'Механизм обзора хода осуществления Конвенции против коррупции',
    cluster: 'Цикл обзора',
    stages: {
      launched: 'Начало обзора',
      self_assessment: 'Контрольный перечень вопросов для самооценки',
      desk_review: 'Кабинетный обзор',
      dialogue: 'Активный диалог',
      country_report: 'Страновой доклад и резюме',
      completed: 'Обзор завершён',
    },
    closes: {
      launched: 'назначение координатора',
      self_assessment: 'представление заполненного контрольного перечня вопросов для самооценки',
      desk_review: 'направление результатов кабинетного обзора',
      dialogue: 'урегулирование вопросов, требующих разъяснения',
      country_report: 'согласование доклада о страновом обзоре и резюме',
      completed: 'завершение обзора',
    },
    instruments: { UNCAC: 'Конвенция против коррупции' },
  },
  zh: {
    name: '《反腐败公约》实施情况审议机制',
    cluster: '审议周期',
    stages: {
      launched: '启动',
      self_assessment: '自评清单',
      desk_review: '案头审议',
      dialogue: '积极对话',
      country_report: '国别审议报告和执行摘要',
      completed: '已完成',
    },
    closes: {
      launched: '指定联络人',
      self_assessment: '提交综合自评清单',
      desk_review: '发送案头审议结果',
      dialogue: '澄清事项已解决',
      country_report: '国别审议报告和执行摘要获得一致同意',
      completed: '审议结束',
    },
    instruments: { UNCAC: '《反腐败公约》' },
  },
};
