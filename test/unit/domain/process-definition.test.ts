import { describe, expect, it } from 'vitest';
import {
  findStage,
  isAllowedTransition,
  ProcessDefinition,
  stagePolicy,
} from '#shared/domain/process-definition.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';

describe('the UNTOC process definition', () => {
  it('lists the stages of DESIGN §2 in order, ending in a terminal stage', () => {
    expect(UNTOC_PROCESS.stages.map((s) => s.id)).toEqual([
      'launched',
      'self_assessment',
      'desk_review',
      'dialogue',
      'observations',
      'summary',
      'completed',
    ]);
    expect(findStage(UNTOC_PROCESS, 'completed')?.terminal).toBe(true);
    expect(UNTOC_PROCESS.timeZone).toBe('Europe/Vienna');
  });

  it('allows each stage to the next and the three rework edges, and nothing else', () => {
    const ids = UNTOC_PROCESS.stages.map((s) => s.id);
    const allowed = ids.flatMap((from) =>
      ids.filter((to) => isAllowedTransition(UNTOC_PROCESS, from, to)).map((to) => `${from}>${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'launched>self_assessment',
        'self_assessment>desk_review',
        'desk_review>dialogue',
        'dialogue>observations',
        'observations>summary',
        'summary>completed',
        'dialogue>desk_review',
        'observations>dialogue',
        'summary>observations',
      ].sort(),
    );
  });

  it('gives the self-assessment a deadline six months from launch and the desk review six from entry', () => {
    expect(findStage(UNTOC_PROCESS, 'self_assessment')?.deadline).toEqual({ from: 'launch', after: 'P6M' });
    expect(findStage(UNTOC_PROCESS, 'desk_review')?.deadline).toEqual({ from: 'stageEntry', after: 'P6M' });
  });

  it('applies a stage override on top of the default policy', () => {
    const custom = ProcessDefinition.parse({
      ...UNTOC_PROCESS,
      stages: UNTOC_PROCESS.stages.map((s) =>
        s.id === 'launched' ? { ...s, notifications: { reminderDaysBefore: [3] } } : s,
      ),
    });
    const launched = findStage(custom, 'launched');
    expect(launched && stagePolicy(custom, launched).reminderDaysBefore).toEqual([3]);
    expect(launched && stagePolicy(custom, launched).escalationMax).toBe(6);
  });
});

describe('process definition validation', () => {
  it('rejects transitions out of a terminal stage, unknown stages and missing deadlines', () => {
    const result = ProcessDefinition.safeParse({
      ...UNTOC_PROCESS,
      stages: UNTOC_PROCESS.stages.map((s) => (s.id === 'dialogue' ? { ...s, deadline: undefined } : s)),
      transitions: [
        ...UNTOC_PROCESS.transitions,
        { from: 'completed', to: 'summary', kind: 'rework' },
        { from: 'summary', to: 'nowhere', kind: 'advance' },
      ],
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toContain('stages.3.deadline: a stage needs a deadline rule');
    expect(messages).toContain('transitions.9.from: nothing leaves a terminal stage');
    expect(messages).toContain('transitions.10.to: unknown stage');
  });

  it('rejects an unknown time zone and a non-ISO duration', () => {
    const result = ProcessDefinition.safeParse({
      ...UNTOC_PROCESS,
      timeZone: 'Mars/Olympus',
      stages: UNTOC_PROCESS.stages.map((s) =>
        s.id === 'launched' ? { ...s, deadline: { from: 'launch', after: '14 days' } } : s,
      ),
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['timeZone', 'stages.0.deadline.after']),
    );
  });
});
