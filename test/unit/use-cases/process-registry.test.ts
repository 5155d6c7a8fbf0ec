import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import {
  DEFAULT_NOTIFICATION_POLICY,
  PROCESS_LANGUAGES,
  ProcessDefinition,
  type ProcessText,
} from '#shared/domain/process-definition.ts';
import { createProcessRegistry, UnknownProcessError } from '#shared/domain/process-registry.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import { UNCAC_PROCESS } from '#shared/domain/processes/uncac.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import { createReviewUseCase, transitionReviewUseCase } from '#shared/use-cases/change-review.ts';
import { type DeliveryDeps, deliverNotification } from '#shared/use-cases/deliver-notification.ts';
import type { ReviewDeps } from '#shared/use-cases/deps.ts';
import { planFromReviewChange } from '#shared/use-cases/plan-notifications.ts';
import { processesUseCase } from '#shared/use-cases/read-reviews.ts';
import { sweepDue } from '#shared/use-cases/sweep-due.ts';
import { aNewReview } from '../domain/factories.ts';
import {
  InMemoryDeliveryStore,
  InMemoryNotificationStore,
  InMemoryUndeliverable,
  RecordingMailer,
  RecordingQueue,
} from '../fakes/in-memory-notifications.ts';
import { InMemoryNotificationReader, InMemoryReviewRepository } from '../fakes/in-memory-stores.ts';

/**
 * DESIGN §9: a process is data. A third process, known only to this test, is registered
 * beside the shipped ones and runs through the same use cases, planner and senders as
 * `untoc` and `uncac`, with nothing else changed: the proof that adding a process is adding
 * its definition and its words.
 */
const words = (language: string): ProcessText[keyof ProcessText] => ({
  name: `Peer review (${language})`,
  cluster: `Round (${language})`,
  stages: {
    opened: `Opened (${language})`,
    answered: `Answered (${language})`,
    closed: `Closed (${language})`,
  },
  closes: {
    opened: `answers sent (${language})`,
    answered: `report agreed (${language})`,
    closed: `done (${language})`,
  },
  instruments: { PEER: `Peer instrument (${language})` },
});
const PEER_PROCESS = ProcessDefinition.parse({
  id: 'peer',
  name: 'A test-only peer review',
  instruments: ['PEER'],
  clusters: 3,
  timeZone: 'Europe/Vienna',
  initialStage: 'opened',
  stages: [
    { id: 'opened', responsible: 'stateUnderReview', deadline: { from: 'launch', after: 'P10D' } },
    { id: 'answered', responsible: 'reviewingStates', deadline: { from: 'stageEntry', after: 'P45D' } },
    { id: 'closed', responsible: 'none', terminal: true },
  ],
  transitions: [
    { from: 'opened', to: 'answered', kind: 'advance' },
    { from: 'answered', to: 'closed', kind: 'advance' },
  ],
  notifications: { ...DEFAULT_NOTIFICATION_POLICY, reminderDaysBefore: [3] },
  text: Object.fromEntries(PROCESS_LANGUAGES.map((l) => [l, words(l)])),
});

const processes = createProcessRegistry([...BUILT_IN_PROCESSES, PEER_PROCESS]);
const caller = { id: 'user-1' };
let reviews: InMemoryReviewRepository;
let notifications: InMemoryNotificationStore;
let queue: RecordingQueue;
let mailer: RecordingMailer;
let ids = 0;

beforeEach(() => {
  reviews = new InMemoryReviewRepository();
  notifications = new InMemoryNotificationStore();
  queue = new RecordingQueue();
  mailer = new RecordingMailer();
});

const reviewDeps = (now: string): ReviewDeps => ({
  processes,
  reviews,
  notifications: new InMemoryNotificationReader(),
  clock: fixedClock(now),
  newId: () => `rev-${++ids}`,
});
const senderDeps = (now: string): DeliveryDeps => ({
  processes,
  notifications,
  deliveries: new InMemoryDeliveryStore(notifications, reviews, new InMemoryUndeliverable()),
  mailer,
  clock: fixedClock(now),
  senderEmail: 'no-reply@tracker.example',
  senderName: 'Review Mechanism',
  secretariatEmail: 'secretariat@un.example',
  claimTimeoutMs: 180_000,
  newToken: () => `token-${++ids}`,
});
const planner = () => ({ processes, notifications, queue });

/** Plans the review's last change from its stored images, as the stream would, then sends what is queued. */
async function runPipeline(oldReview: unknown, id: string, now: string) {
  const newReview = reviews.reviews.get(id);
  await planFromReviewChange(planner(), {
    oldReview: oldReview as typeof newReview,
    newReview: structuredClone(newReview),
  });
  await sweepDue({ notifications, queue }, now);
  for (const { item } of queue.sent.splice(0)) await deliverNotification(senderDeps(now), item);
}

const peerReview = () =>
  aNewReview({
    process: 'peer',
    instruments: ['PEER'],
    reviewingStates: [
      { state: 'AUT', instruments: ['PEER'] },
      { state: 'BRA', instruments: ['PEER'] },
    ],
    focalPoints: {
      GRC: { name: 'Eleni', email: 'fp@grc.example', language: 'fr' },
      AUT: { name: 'Anna', email: 'fp@aut.example', language: 'es' },
      BRA: { name: 'João', email: 'fp@bra.example', language: 'zh' },
    },
  });

describe('process registry', () => {
  it('ships untoc (the default) and uncac, each valid, and finds a review stored as UNTOC', () => {
    const shipped = createProcessRegistry(BUILT_IN_PROCESSES);
    expect(shipped.all().map((p) => p.id)).toEqual(['untoc', 'uncac']);
    expect(shipped.defaultProcess.id).toBe('untoc');
    for (const process of BUILT_IN_PROCESSES) expect(ProcessDefinition.parse(process)).toEqual(process);
    // Reviews created before the registry stored the id in capitals.
    expect(shipped.of({ processId: 'UNTOC' })).toBe(shipped.defaultProcess);
    expect(() => shipped.of({ processId: 'unknown' })).toThrow(UnknownProcessError);
  });

  it('gives every process the time zone of record and refuses one registered twice', () => {
    const registry = createProcessRegistry(BUILT_IN_PROCESSES, { timeZone: 'America/New_York' });
    expect(registry.all().map((p) => p.timeZone)).toEqual(['America/New_York', 'America/New_York']);
    expect(() => createProcessRegistry([UNTOC_PROCESS, UNTOC_PROCESS])).toThrow(/twice/);
  });

  it('labels every uncac deadline that is our reading of an indicative schedule', () => {
    for (const stage of UNCAC_PROCESS.stages.filter((s) => !s.terminal)) {
      expect(stage.deadline?.inferred, stage.id).toMatch(/DOMAIN-SOURCES §6/);
    }
  });

  it('lists the registered processes, the test-only one included', () => {
    expect(processesUseCase({ processes }).map((p) => p.id)).toEqual(['untoc', 'uncac', 'peer']);
  });
});

describe('a review of a process registered beside the shipped ones', () => {
  it('keeps its process and follows its deadlines, stages and words through planner and mail', async () => {
    const created = await createReviewUseCase(reviewDeps('2027-03-01T08:00:00Z'), caller, {
      ...peerReview(),
      launchedAt: '2027-03-01',
    });
    expect(created).toMatchObject({ processId: 'peer', stage: 'opened', deadline: '2027-03-11' });
    await runPipeline(undefined, created.id, '2027-03-01T08:00:00Z');

    // Stage notices in each recipient's language, named with the process's own words.
    const notices = mailer.sent.splice(0);
    expect(notices.map((m) => m.to).sort()).toEqual(
      ['fp@aut.example', 'fp@bra.example', 'fp@grc.example'].map((a) => expect.stringContaining(a)),
    );
    const french = notices.find((m) => m.to.includes('fp@grc.example'));
    expect(french?.subject).toContain('Opened (fr)');
    expect(french?.text).toContain('answers sent (fr)');
    expect(french?.text).toContain('Peer instrument (fr)');
    expect(french?.text).toContain('Round (fr)');
    // Its one reminder rung, three days before (a Monday 8 March, 09:00 Vienna).
    const reminders = [...notifications.records.values()].filter((r) => r.kind === 'reminder');
    expect(reminders.map((r) => [r.offsetDays, r.dueAt])).toEqual([[-3, '2027-03-08T08:00:00Z']]);

    const moved = await transitionReviewUseCase(reviewDeps('2027-03-05T10:00:00Z'), caller, created.id, {
      to: 'answered',
    });
    expect(moved).toMatchObject({ processId: 'peer', stage: 'answered', deadline: '2027-04-19' });
    await runPipeline(created, created.id, '2027-03-05T10:00:00Z');
    expect(mailer.sent.find((m) => m.to.includes('fp@bra.example'))?.subject).toContain('Answered (zh)');
  });

  it("refuses another process's stage, instrument or cluster, and a process not registered", async () => {
    const deps = reviewDeps('2027-03-01T08:00:00Z');
    const untocInstruments = { ...peerReview(), instruments: ['UNTOC'] };
    await expect(createReviewUseCase(deps, caller, untocInstruments)).rejects.toThrow(InvalidInputError);
    await expect(createReviewUseCase(deps, caller, { ...peerReview(), cluster: 4 })).rejects.toMatchObject({
      issues: [{ path: 'cluster', message: expect.stringContaining('1–3') }],
    });
    await expect(
      createReviewUseCase(deps, caller, { ...peerReview(), process: 'nope' }),
    ).rejects.toMatchObject({
      issues: [{ path: 'process', message: expect.stringContaining('untoc, uncac, peer') }],
    });
    const created = await createReviewUseCase(deps, caller, peerReview());
    await expect(
      transitionReviewUseCase(deps, caller, created.id, { to: 'self_assessment' }),
    ).rejects.toMatchObject({ code: expect.any(String) });
    expect(reviews.reviews.get(created.id)?.stage).toBe('opened');
  });
});

describe('a uncac review', () => {
  const uncacReview = () =>
    aNewReview({
      process: 'uncac',
      cluster: 2,
      instruments: ['UNCAC'],
      reviewingStates: [
        { state: 'AUT', instruments: ['UNCAC'] },
        { state: 'BRA', instruments: ['UNCAC'] },
      ],
      launchedAt: '2027-01-11',
    });

  it("follows UNCAC's schedule: focal point in 3 weeks, checklist in 2 months, desk review 1 month after", async () => {
    const created = await createReviewUseCase(reviewDeps('2027-01-11T09:00:00Z'), caller, uncacReview());
    expect(created).toMatchObject({ processId: 'uncac', stage: 'launched', deadline: '2027-02-01' });
    const sa = await transitionReviewUseCase(reviewDeps('2027-01-25T09:00:00Z'), caller, created.id, {
      to: 'self_assessment',
    });
    expect(sa.deadline).toBe('2027-03-11');
    const desk = await transitionReviewUseCase(reviewDeps('2027-03-10T09:00:00Z'), caller, created.id, {
      to: 'desk_review',
    });
    expect(desk.deadline).toBe('2027-04-10');
    await expect(
      transitionReviewUseCase(reviewDeps('2027-03-11T09:00:00Z'), caller, created.id, { to: 'observations' }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });

  it('refuses a UNTOC instrument and a third cycle', async () => {
    const deps = reviewDeps('2027-01-11T09:00:00Z');
    await expect(
      createReviewUseCase(deps, caller, { ...uncacReview(), instruments: ['UNCAC', 'TIP'] }),
    ).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: 'instruments.1' })]),
    });
    await expect(createReviewUseCase(deps, caller, { ...uncacReview(), cluster: 3 })).rejects.toMatchObject({
      issues: [{ path: 'cluster', message: expect.stringContaining('review cycles 1–2') }],
    });
  });
});
