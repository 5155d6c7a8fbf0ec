import { DEFAULT_TIME_ZONE } from '../calendar.ts';
import { DEFAULT_NOTIFICATION_POLICY, type ProcessDefinition } from '../process-definition.ts';
import { UNTOC_TEXT } from './untoc.text.ts';

/** The UNTOC Review Mechanism's country review process (DESIGN §2, DOMAIN-SOURCES §3). */
export const UNTOC_PROCESS: ProcessDefinition = {
  id: 'untoc',
  name: 'UNTOC Review Mechanism country review',
  source:
    'Procedures and rules of the Review Mechanism (resolution 9/1) and the guidelines (resolution 10/1); DOMAIN-SOURCES §3',
  instruments: ['UNTOC', 'TIP', 'SOM', 'FIREARMS'],
  clusters: 4,
  timeZone: DEFAULT_TIME_ZONE,
  initialStage: 'launched',
  stages: [
    {
      id: 'launched',
      responsible: 'all',
      deadline: { from: 'launch', after: 'P14D' },
      terminal: false,
    },
    {
      id: 'self_assessment',
      responsible: 'stateUnderReview',
      deadline: { from: 'launch', after: 'P6M' },
      terminal: false,
    },
    {
      id: 'desk_review',
      responsible: 'reviewingStates',
      deadline: { from: 'stageEntry', after: 'P6M' },
      terminal: false,
    },
    {
      id: 'dialogue',
      responsible: 'all',
      deadline: { from: 'stageEntry', after: 'P3M' },
      terminal: false,
    },
    {
      id: 'observations',
      responsible: 'reviewingStates',
      deadline: { from: 'stageEntry', after: 'P3M' },
      terminal: false,
    },
    {
      id: 'summary',
      responsible: 'reviewingStates',
      deadline: { from: 'stageEntry', after: 'P2M' },
      terminal: false,
    },
    { id: 'completed', responsible: 'none', terminal: true },
  ],
  transitions: [
    { from: 'launched', to: 'self_assessment', kind: 'advance' },
    { from: 'self_assessment', to: 'desk_review', kind: 'advance' },
    { from: 'desk_review', to: 'dialogue', kind: 'advance' },
    { from: 'dialogue', to: 'observations', kind: 'advance' },
    { from: 'observations', to: 'summary', kind: 'advance' },
    { from: 'summary', to: 'completed', kind: 'advance' },
    { from: 'dialogue', to: 'desk_review', kind: 'rework' },
    { from: 'observations', to: 'dialogue', kind: 'rework' },
    { from: 'summary', to: 'observations', kind: 'rework' },
  ],
  notifications: DEFAULT_NOTIFICATION_POLICY,
  text: UNTOC_TEXT,
};
