import { DEFAULT_TIME_ZONE } from '../calendar.ts';
import { DEFAULT_NOTIFICATION_POLICY, type ProcessDefinition } from '../process-definition.ts';
import { UNCAC_TEXT } from './uncac.text.ts';

const SCHEDULE =
  'the model schedule of the UNCAC guidelines (DOMAIN-SOURCES §6, C-SCHED); pairing each value with a step is our reading of it';

/**
 * The UNCAC Implementation Review Mechanism's country review (DESIGN §9, DOMAIN-SOURCES §6):
 * one instrument, reviews numbered by cycle (1–2), a six-month indicative schedule counted
 * from the launch. Deadlines the guidelines state only as indicative steps are labelled
 * `inferred`.
 */
export const UNCAC_PROCESS: ProcessDefinition = {
  id: 'uncac',
  name: 'UNCAC Implementation Review Mechanism country review',
  source:
    'Terms of reference (COSP resolution 3/1) and the guidelines for governmental experts and the secretariat',
  instruments: ['UNCAC'],
  clusters: 2,
  timeZone: DEFAULT_TIME_ZONE,
  initialStage: 'launched',
  stages: [
    {
      id: 'launched',
      responsible: 'all',
      deadline: { from: 'launch', after: 'P21D', inferred: `focal point within 3 weeks: ${SCHEDULE}` },
      terminal: false,
    },
    {
      id: 'self_assessment',
      responsible: 'stateUnderReview',
      deadline: { from: 'launch', after: 'P2M', inferred: `checklist within 2 months: ${SCHEDULE}` },
      terminal: false,
    },
    {
      id: 'desk_review',
      responsible: 'reviewingStates',
      deadline: { from: 'stageEntry', after: 'P1M', inferred: `desk review within 1 month: ${SCHEDULE}` },
      terminal: false,
    },
    {
      id: 'dialogue',
      responsible: 'all',
      deadline: {
        from: 'launch',
        after: 'P5M',
        inferred: `active dialogue up to about 5 months: ${SCHEDULE}`,
      },
      terminal: false,
    },
    {
      id: 'country_report',
      responsible: 'all',
      deadline: {
        from: 'launch',
        after: 'P6M',
        inferred: `country report and executive summary within 6 months: ${SCHEDULE}`,
      },
      terminal: false,
    },
    { id: 'completed', responsible: 'none', terminal: true },
  ],
  transitions: [
    { from: 'launched', to: 'self_assessment', kind: 'advance' },
    { from: 'self_assessment', to: 'desk_review', kind: 'advance' },
    { from: 'desk_review', to: 'dialogue', kind: 'advance' },
    { from: 'dialogue', to: 'country_report', kind: 'advance' },
    { from: 'country_report', to: 'completed', kind: 'advance' },
    { from: 'dialogue', to: 'desk_review', kind: 'rework' },
    { from: 'country_report', to: 'dialogue', kind: 'rework' },
  ],
  notifications: DEFAULT_NOTIFICATION_POLICY,
  text: UNCAC_TEXT,
};
