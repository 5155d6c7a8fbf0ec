import fc from 'fast-check';
import { checkMailbox, ModelMismatchError, type RunModel, runReport } from './model-run.ts';
import type { ApiResponse, ModelSystem } from './model-system.ts';
import {
  isAllowedEdge,
  ModelReview,
  nextStage,
  type ReviewSnapshot,
  reworkStage,
  STAGES,
  type StageId,
} from './review-model.ts';
import {
  ceilMinute,
  DAY_MS,
  deadlinePasses,
  describeInstant,
  floorMinute,
  fridayIfWeekend,
  instantPlusMonths,
  MINUTE_MS,
  mondayIfWeekend,
  nextWeekday,
  plusDays,
  viennaDate,
  viennaTime,
} from './vienna-calendar.ts';

/**
 * The model test's commands (fast-check `AsyncCommand`s): create, register a focal point,
 * transition, pause, resume, change the deadline, a batch of those sent at once, clock moves
 * and settles. Each is generated as plain data and resolved against the model when it runs,
 * so the same sequence means the same thing from wherever the clock starts.
 */

type Command = fc.AsyncCommand<RunModel, ModelSystem>;

const MAX_REVIEWS = 4;
const LANGUAGES = ['ar', 'en', 'es', 'fr', 'ru', 'zh'] as const;
const STATES = [
  'AUT',
  'BRA',
  'CAN',
  'DEU',
  'EGY',
  'ESP',
  'FRA',
  'GRC',
  'IND',
  'ITA',
  'JPN',
  'KEN',
  'MEX',
  'NGA',
  'NLD',
  'NOR',
  'PER',
  'POL',
  'SEN',
  'SWE',
  'THA',
  'TUR',
  'URY',
  'ZAF',
];
/** The clock never goes near local mode's limit (2100-12-31). */
const CLOCK_LIMIT = Date.parse('2099-01-01T00:00:00Z');

// ---------------------------------------------------------------------------------------------
// Create

export interface CreateSpec {
  states: string[];
  reviewers: number;
  focalPoints: boolean[];
  emptyMap: boolean;
  launchDays: number;
  cluster: number;
  language: number;
}

export const createSpec: fc.Arbitrary<CreateSpec> = fc.record({
  states: fc.shuffledSubarray(STATES, { minLength: 4, maxLength: 4 }),
  reviewers: fc.constantFrom(2, 3),
  focalPoints: fc.oneof(
    fc.constant<boolean[]>([false, false, false, false]),
    fc.constant<boolean[]>([true, true, true, true]),
    fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  ),
  emptyMap: fc.boolean(),
  // Mostly today; sometimes long ago (the stage starts overdue) or a little ahead.
  launchDays: fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    { arbitrary: fc.integer({ min: -200, max: -1 }), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 10 }), weight: 1 },
  ),
  cluster: fc.integer({ min: 1, max: 4 }),
  language: fc.nat(5),
});

export class CreateCommand implements Command {
  constructor(readonly spec: CreateSpec) {}

  check(model: Readonly<RunModel>): boolean {
    return model.reviews.length < MAX_REVIEWS;
  }

  async run(model: RunModel, system: ModelSystem): Promise<void> {
    model.steps++;
    const label = `r${model.reviews.length}`;
    const [sur = 'GRC', ...others] = this.spec.states;
    const reviewers = others.slice(0, this.spec.reviewers);
    const participants = [sur, ...reviewers];
    const focalPoints: Record<string, string> = {};
    participants.forEach((state, i) => {
      if (this.spec.focalPoints[i]) focalPoints[state] = model.newAddress(state, label);
    });
    const secretariat = `officer.${label}.${model.tag}@un.example`;
    const launchedAt = plusDays(viennaDate(system.clockNow()), this.spec.launchDays);
    const language = LANGUAGES[this.spec.language % LANGUAGES.length] ?? 'en';
    const fpBody = Object.fromEntries(
      Object.entries(focalPoints).map(([state, email]) => [
        state,
        { name: `Focal point ${state}`, email, language },
      ]),
    );
    const body = {
      stateUnderReview: sur,
      cluster: this.spec.cluster,
      instruments: ['UNTOC'],
      reviewingStates: reviewers.map((state) => ({ state, instruments: ['UNTOC'] })),
      language,
      launchedAt,
      secretariatEmail: secretariat,
      ...(Object.keys(fpBody).length > 0 || this.spec.emptyMap ? { focalPoints: fpBody } : {}),
    };
    const res = await system.request('POST', '/reviews', body);
    const what =
      `create ${label}: SuR ${sur}, RS ${reviewers.join(' ')}, launched ${launchedAt}, ` +
      `focal points ${Object.keys(focalPoints).join(' ') || (this.spec.emptyMap ? 'none ({})' : 'none (omitted)')}`;
    if (res.status !== 201) {
      model.note(`${what} ⇒ ${res.status} ${JSON.stringify(res.json)}`);
      throw new ModelMismatchError(
        `${what}: expected 201, got ${res.status}\n${await runReport(model, system, [])}`,
      );
    }
    const createdAt = Date.parse(res.json.createdAt);
    const review = new ModelReview(
      label,
      res.json.id,
      sur,
      reviewers,
      secretariat,
      launchedAt,
      focalPoints,
      createdAt,
    );
    model.reviews.push(review);
    model.note(`${what} ⇒ 201 ${review.id} at ${describeInstant(createdAt)}`);
    const problems = compare(res.json, {
      stage: 'launched',
      stageEpoch: 1,
      deadline: review.deadline,
      version: 1,
      paused: false,
    });
    if (problems)
      throw new ModelMismatchError(`${what}: ${problems}\n${await runReport(model, system, [review])}`);
  }

  toString(): string {
    const s = this.spec;
    return `create(${s.states.slice(0, 1 + s.reviewers).join(',')} fp=${s.focalPoints
      .slice(0, 1 + s.reviewers)
      .map((b) => (b ? 1 : 0))
      .join('')}${s.emptyMap ? ' {}' : ''} launch${s.launchDays >= 0 ? '+' : ''}${s.launchDays}d)`;
  }
}

// ---------------------------------------------------------------------------------------------
// Writes on a review

export type OpSpec =
  | { op: 'register'; review: number; state: number; address: 'new' | 'same' | 'previous'; language: number }
  | {
      op: 'transition';
      review: number;
      target: 'next' | 'rework' | 'any';
      any: number;
      deadlineDays: number | null;
    }
  | { op: 'pause'; review: number }
  | { op: 'resume'; review: number }
  | { op: 'deadline'; review: number; choice: 'days' | 'same' | 'previous'; days: number }
  | { op: 'submit'; review: number; state: number }
  | { op: 'withdraw'; review: number; state: number };

const reviewIndex = fc.nat(7);
const deadlineDays = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 4 },
  { arbitrary: fc.integer({ min: 41, max: 250 }), weight: 3 },
  { arbitrary: fc.integer({ min: -3, max: -1 }), weight: 1 },
);

export const opSpec: fc.Arbitrary<OpSpec> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('register' as const),
      review: reviewIndex,
      state: fc.nat(3),
      address: fc.constantFrom('new' as const, 'new' as const, 'same' as const, 'previous' as const),
      language: fc.nat(5),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('transition' as const),
      review: reviewIndex,
      target: fc.constantFrom(
        'next' as const,
        'next' as const,
        'next' as const,
        'rework' as const,
        'any' as const,
      ),
      any: fc.nat(6),
      deadlineDays: fc.option(deadlineDays, { freq: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('pause' as const), review: reviewIndex }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('resume' as const), review: reviewIndex }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('deadline' as const),
      review: reviewIndex,
      choice: fc.constantFrom(
        'days' as const,
        'days' as const,
        'days' as const,
        'same' as const,
        'previous' as const,
      ),
      days: deadlineDays,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('submit' as const), review: reviewIndex, state: fc.nat(3) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('withdraw' as const), review: reviewIndex, state: fc.nat(3) }),
  },
);

/** An operation resolved against the model: the request, the outcomes allowed and the change. */
interface ResolvedOp {
  review: ModelReview;
  text: string;
  method: string;
  path: string;
  body: unknown;
  /** Outcomes the rules allow in that state: `ok`, `400`, or `409:<code>`. */
  acceptable(snapshot: ReviewSnapshot, todays: string[]): Set<string>;
  /** Applies a success to the model; returns what in the response disagrees with it, if anything. */
  apply(review: ModelReview, json: ApiResponse['json'], at: number): string | undefined;
  /** True when the op changes nothing in this state (a repeated submission): 200 with the version as it is. */
  noop?(review: ModelReview): boolean;
}

/** Outcomes given certain and possible refusals: success only when nothing certainly refuses it. */
function outcomes(certain: string[], possible: string[] = []): Set<string> {
  return new Set([...certain, ...possible, ...(certain.length === 0 ? ['ok'] : [])]);
}

/** `400` certainly, possibly (the Vienna date changed during the call) or not at all. */
function beforeToday(deadline: string, todays: string[]): 'certain' | 'possible' | 'no' {
  const before = todays.filter((today) => deadline < today).length;
  return before === 0 ? 'no' : before === todays.length ? 'certain' : 'possible';
}

function compare(json: ApiResponse['json'], expected: Record<string, unknown>): string | undefined {
  const wrong = Object.entries(expected).filter(([field, value]) => json?.[field] !== value);
  if (wrong.length === 0) return undefined;
  return wrong
    .map(
      ([field, value]) => `${field} is ${JSON.stringify(json?.[field])}, model says ${JSON.stringify(value)}`,
    )
    .join('; ');
}

function resolve(spec: OpSpec, model: RunModel, system: ModelSystem): ResolvedOp {
  const review = model.review(spec.review);
  const path = `/reviews/${review.id}`;
  const today = viennaDate(system.clockNow());
  const reason = { reason: 'model test' };
  switch (spec.op) {
    case 'register': {
      const state = review.participants[spec.state % review.participants.length] ?? review.stateUnderReview;
      const current = review.focalPoints.get(state);
      const previous = (review.addressesOf.get(state) ?? []).filter((a) => a !== current).at(-1);
      const email =
        spec.address === 'same' && current
          ? current
          : spec.address === 'previous' && previous
            ? previous
            : model.newAddress(state, review.label);
      const kind =
        email === current ? 'same address' : email === previous ? 'previous address' : 'new address';
      return {
        review,
        text: `register ${review.label} ${state} ${email} (${kind})`,
        method: 'PUT',
        path: `${path}/focal-points/${state}`,
        body: { name: `Focal point ${state}`, email, language: LANGUAGES[spec.language % LANGUAGES.length] },
        acceptable: (s) => outcomes(s.stage === 'completed' ? ['409:REVIEW_COMPLETED'] : []),
        apply: (r, json, at) => {
          r.setFocalPoint(state, email, at);
          const got = String(json?.focalPoints?.[state]?.email ?? '').toLowerCase();
          return got === email ? undefined : `focal point of ${state} is ${got}, model says ${email}`;
        },
      };
    }
    case 'transition': {
      const to: StageId =
        spec.target === 'next'
          ? (nextStage(review.stage) ?? 'launched')
          : spec.target === 'rework'
            ? (reworkStage(review.stage) ?? 'launched')
            : (STAGES[spec.any % STAGES.length] ?? 'launched');
      const deadline = spec.deadlineDays === null ? undefined : plusDays(today, spec.deadlineDays);
      return {
        review,
        text: `transition ${review.label} ${review.stage} → ${to}${deadline ? ` deadline ${deadline}` : ''}`,
        method: 'POST',
        path: `${path}/transitions`,
        body: { to, ...(deadline ? { deadline } : {}), reason: 'model test' },
        acceptable: (s, todays) => {
          const certain: string[] = [];
          const possible: string[] = [];
          if (s.paused) certain.push('409:REVIEW_PAUSED');
          if (!isAllowedEdge(s.stage, to)) {
            certain.push('409:ILLEGAL_TRANSITION');
            if (s.stage === 'completed') possible.push('409:REVIEW_COMPLETED');
          }
          if (deadline !== undefined) {
            if (to === 'completed') certain.push('400');
            const past = beforeToday(deadline, todays);
            if (past === 'certain') certain.push('400');
            if (past === 'possible') possible.push('400');
          }
          return outcomes(certain, possible);
        },
        apply: (r, json, at) => {
          r.transition(to, deadline, at);
          return compare(json, { stage: to, stageEpoch: r.epoch, deadline: r.deadline, paused: false });
        },
      };
    }
    case 'pause':
      return {
        review,
        text: `pause ${review.label}`,
        method: 'POST',
        path: `${path}/pause`,
        body: reason,
        acceptable: (s) =>
          outcomes([
            ...(s.stage === 'completed' ? ['409:REVIEW_COMPLETED'] : []),
            ...(s.paused ? ['409:REVIEW_PAUSED'] : []),
          ]),
        apply: (r, json, at) => {
          r.pause(at);
          return compare(json, { paused: true, deadline: r.deadline });
        },
      };
    case 'resume':
      return {
        review,
        text: `resume ${review.label}`,
        method: 'POST',
        path: `${path}/resume`,
        body: reason,
        acceptable: (s) =>
          s.paused
            ? outcomes([])
            : outcomes(['409:REVIEW_NOT_PAUSED'], s.stage === 'completed' ? ['409:REVIEW_COMPLETED'] : []),
        apply: (r, json, at) => {
          r.resume(at);
          return compare(json, { paused: false, deadline: r.deadline });
        },
      };
    case 'submit':
    case 'withdraw': {
      const state = review.participants[spec.state % review.participants.length] ?? review.stateUnderReview;
      const submit = spec.op === 'submit';
      return {
        review,
        text: `${spec.op} ${review.label} ${state}`,
        method: submit ? 'POST' : 'DELETE',
        path: submit ? `${path}/submissions` : `${path}/submissions/${state}`,
        body: submit ? { state } : undefined,
        acceptable: (s) => {
          if (s.stage === 'completed') return outcomes(['409:REVIEW_COMPLETED']);
          if (submit && !review.responsibleStatesIn(s.stage).includes(state))
            return outcomes(['409:NOT_RESPONSIBLE']);
          return outcomes([]);
        },
        noop: (r) => r.submitted.has(state) === submit,
        apply: (r, json, at) => {
          if (submit) r.submit(state, at);
          else r.withdraw(state, at);
          return compareOwing(json, r.owingStates());
        },
      };
    }
    case 'deadline': {
      const earlier = review.deadlinesInEpoch.filter((d) => d !== review.deadline).at(-1);
      const deadline =
        spec.choice === 'same' && review.deadline
          ? review.deadline
          : spec.choice === 'previous' && earlier
            ? earlier
            : plusDays(today, spec.days);
      const kind = deadline === review.deadline ? ' (same)' : deadline === earlier ? ' (an earlier one)' : '';
      return {
        review,
        text: `deadline ${review.label} ${review.deadline} → ${deadline}${kind}`,
        method: 'POST',
        path: `${path}/deadline`,
        body: { deadline, reason: 'model test' },
        acceptable: (s, todays) => {
          const certain: string[] = [];
          const possible: string[] = [];
          if (s.stage === 'completed') certain.push('409:REVIEW_COMPLETED');
          const past = beforeToday(deadline, todays);
          if (past === 'certain') certain.push('400');
          if (past === 'possible') possible.push('400');
          return outcomes(certain, possible);
        },
        apply: (r, json, at) => {
          r.changeDeadline(deadline, at);
          return compare(json, { deadline });
        },
      };
    }
  }
}

/** `owing` of a response against the model's. */
function compareOwing(json: ApiResponse['json'], owing: string[]): string | undefined {
  const got = JSON.stringify(json?.owing);
  return got === JSON.stringify(owing) ? undefined : `owing is ${got}, model says ${JSON.stringify(owing)}`;
}

function outcomeOf(res: ApiResponse): string {
  if (res.status >= 200 && res.status < 300) return 'ok';
  if (res.status === 400) return '400';
  return `${res.status}:${res.json?.error ?? '?'}`;
}

/**
 * Sends the operations at once and reconciles: successes are applied in version order, each
 * at its `updatedAt`, and must be allowed in the state just before; each refusal must be one
 * the rules give in some state the review went through during the batch.
 */
async function execute(model: RunModel, system: ModelSystem, ops: ResolvedOp[]): Promise<void> {
  const started = system.clockNow();
  const responses = await Promise.all(ops.map((op) => system.request(op.method, op.path, op.body))).catch(
    async (error: unknown) => {
      // A response outside the OpenAPI document, or no response at all: report it with the run.
      const report = await runReport(model, system, [...new Set(ops.map((o) => o.review))]);
      throw new ModelMismatchError(
        `${ops.map((o) => o.text).join(' ∥ ')}: ${(error as Error).message}\n\n${report}`,
      );
    },
  );
  const todays = [...new Set([viennaDate(started), viennaDate(system.clockNow())])];
  const results = ops.map((op, i) => ({
    op,
    res: responses[i] as ApiResponse,
    outcome: outcomeOf(responses[i] as ApiResponse),
  }));
  const prefix = ops.length > 1 ? '  ∥ ' : '';
  for (const { op, res, outcome } of results) {
    model.note(
      `${prefix}${op.text} ⇒ ${res.status}${outcome === 'ok' ? ` v${res.json?.version} at ${describeInstant(Date.parse(res.json?.updatedAt))}` : ` ${res.json?.error ?? ''}`}`,
    );
  }
  const problems: string[] = [];
  for (const review of new Set(ops.map((op) => op.review))) {
    const mine = results.filter((r) => r.op.review === review);
    const successes = mine
      .filter((r) => r.outcome === 'ok')
      .sort((a, b) => a.res.json.version - b.res.json.version);
    const snapshots = [review.snapshot()];
    for (const { op, res } of successes) {
      const at = Date.parse(res.json.updatedAt);
      const allowed = op.acceptable(review.snapshot(), [viennaDate(at)]);
      if (!allowed.has('ok')) {
        problems.push(
          `${op.text}: the system accepted it (v${res.json.version}); the model refuses it with ${[...allowed].join(' or ')}`,
        );
        break;
      }
      // A repeat is answered with the review as it is. Alone, that is the model's version; in a
      // batch, it may be one the batch's other changes made before the repeat read it.
      if (op.noop?.(review)) {
        if (ops.length === 1 && res.json.version !== review.version)
          problems.push(
            `${op.text}: a change that changes nothing moved the version to v${res.json.version}`,
          );
        continue;
      }
      try {
        review.advanceVersion(res.json.version, at);
      } catch (error) {
        problems.push(`${op.text}: ${(error as Error).message}`);
        break;
      }
      const wrong = op.apply(review, res.json, at);
      if (wrong) problems.push(`${op.text}: the response disagrees with the model: ${wrong}`);
      snapshots.push(review.snapshot());
    }
    for (const { op, res, outcome } of mine.filter((r) => r.outcome !== 'ok')) {
      if (res.status >= 500 || outcome === '409:VERSION_CONFLICT') {
        problems.push(
          `${op.text}: ${res.status} ${JSON.stringify(res.json)} (a write without expectedVersion must not fail)`,
        );
        continue;
      }
      const allowed = new Set(snapshots.flatMap((s) => [...op.acceptable(s, todays)]));
      if (!allowed.has(outcome)) {
        problems.push(
          `${op.text}: the system answered ${res.status} ${JSON.stringify(res.json)}; the model allows ${[...allowed].join(' or ')}`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new ModelMismatchError(
      [
        `The API disagrees with the model:`,
        ...problems.map((p) => `  ${p}`),
        '',
        await runReport(model, system, [...new Set(ops.map((o) => o.review))]),
      ].join('\n'),
    );
  }
}

const describeOp = (spec: OpSpec): string => {
  switch (spec.op) {
    case 'register':
      return `register(#${spec.review} state${spec.state} ${spec.address})`;
    case 'transition':
      return `transition(#${spec.review} ${spec.target === 'any' ? STAGES[spec.any % STAGES.length] : spec.target}${spec.deadlineDays === null ? '' : ` today${spec.deadlineDays >= 0 ? '+' : ''}${spec.deadlineDays}d`})`;
    case 'pause':
      return `pause(#${spec.review})`;
    case 'resume':
      return `resume(#${spec.review})`;
    case 'deadline':
      return `deadline(#${spec.review} ${spec.choice === 'days' ? `today${spec.days >= 0 ? '+' : ''}${spec.days}d` : spec.choice})`;
    case 'submit':
    case 'withdraw':
      return `${spec.op}(#${spec.review} state${spec.state})`;
  }
};

export class WriteCommand implements Command {
  constructor(readonly spec: OpSpec) {}

  check(model: Readonly<RunModel>): boolean {
    return model.reviews.length > 0;
  }

  async run(model: RunModel, system: ModelSystem): Promise<void> {
    model.steps++;
    await execute(model, system, [resolve(this.spec, model, system)]);
  }

  toString(): string {
    return describeOp(this.spec);
  }
}

/** 2–3 writes sent concurrently, usually on one review. */
export class BatchCommand implements Command {
  constructor(
    readonly specs: OpSpec[],
    readonly sameReview: boolean,
  ) {}

  check(model: Readonly<RunModel>): boolean {
    return model.reviews.length > 0;
  }

  async run(model: RunModel, system: ModelSystem): Promise<void> {
    model.steps++;
    const first = this.specs[0]?.review ?? 0;
    const specs = this.sameReview ? this.specs.map((s) => ({ ...s, review: first })) : this.specs;
    model.note(`concurrently (${specs.length}):`);
    await execute(
      model,
      system,
      specs.map((s) => resolve(s, model, system)),
    );
  }

  toString(): string {
    return `concurrently(${this.specs.map(describeOp).join(', ')}${this.sameReview ? '' : ' on their own reviews'})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Clock and settle

export type ClockSpec =
  | { move: 'minutes'; amount: number }
  | { move: 'days'; amount: number }
  | { move: 'months'; amount: number }
  | { move: 'interesting'; review: number; pick: number; near: boolean }
  | { move: 'weekday'; day: number; hour: number; minute: number };

export const clockSpec: fc.Arbitrary<ClockSpec> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      move: fc.constant('minutes' as const),
      amount: fc.constantFrom(1, 2, 5, 30, 60, 360),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ move: fc.constant('days' as const), amount: fc.constantFrom(1, 2, 3, 7, 14, 20) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ move: fc.constant('months' as const), amount: fc.constantFrom(1, 2, 3) }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      move: fc.constant('interesting' as const),
      review: reviewIndex,
      pick: fc.nat(40),
      near: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(5, 6, 7, 1), fc.constantFrom([8, 59], [9, 1], [23, 59], [0, 1]))
      .map(([day, [hour = 9, minute = 1]]) => ({ move: 'weekday' as const, day, hour, minute })),
  },
);

/** Instants where something may (or must not yet) happen for a review: 08:59 and 09:01 around each rung, the deadline's end. */
function interestingInstants(review: ModelReview): number[] {
  if (review.deadline === null) return [];
  const d = review.deadline;
  const around = (date: string) => [viennaTime(date, 8, 59), viennaTime(date, 9, 1)];
  return [
    ...[90, 30, 14, 7, 1].flatMap((days) => around(fridayIfWeekend(plusDays(d, -days)))),
    viennaTime(d, 23, 59),
    deadlinePasses(d) + MINUTE_MS,
    ...[1, 14, 44, 74, 104, 134].flatMap((days) => around(mondayIfWeekend(plusDays(d, days)))),
  ].sort((a, b) => a - b);
}

export class ClockCommand implements Command {
  constructor(readonly spec: ClockSpec) {}

  check(): boolean {
    return true;
  }

  async run(model: RunModel, system: ModelSystem): Promise<void> {
    model.steps++;
    const now = await system.readClock();
    const earliest = ceilMinute(now + 3_000);
    let target = this.target(model, now, earliest);
    if (target < earliest || target > CLOCK_LIMIT) target = earliest;
    const reached = await system.moveClock(target);
    const sweptAt = floorMinute(target);
    model.note(
      `clock ${this.toString()} → ${describeInstant(target)}${reached - target > 45_000 ? ` (answered at ${describeInstant(reached)}: the sweep may have run later)` : ''}`,
    );
    for (const review of model.reviews) review.sweep(sweptAt);
    if (!(await system.settle())) model.note('  (local mode did not settle within its limit)');
    await checkMailbox(model, system, `clock move to ${describeInstant(target)}`);
  }

  private target(model: RunModel, now: number, earliest: number): number {
    const s = this.spec;
    switch (s.move) {
      case 'minutes':
        return ceilMinute(now + s.amount * MINUTE_MS);
      case 'days':
        return floorMinute(now + s.amount * DAY_MS);
      case 'months':
        return floorMinute(instantPlusMonths(now, s.amount));
      case 'interesting': {
        const ahead = interestingInstants(model.review(s.review)).filter((t) => t >= earliest);
        // The next few rungs, or any of the next eight (a jump over several, months at most).
        const pool = ahead.slice(0, s.near ? 3 : 8);
        return pool.length === 0 ? floorMinute(now + DAY_MS) : (pool[s.pick % pool.length] ?? earliest);
      }
      case 'weekday': {
        const first = viennaTime(nextWeekday(viennaDate(now), s.day), s.hour, s.minute);
        return first >= earliest
          ? first
          : viennaTime(plusDays(nextWeekday(viennaDate(now), s.day), 7), s.hour, s.minute);
      }
    }
  }

  toString(): string {
    const s = this.spec;
    switch (s.move) {
      case 'minutes':
        return `clock(+${s.amount}min)`;
      case 'days':
        return `clock(+${s.amount}d)`;
      case 'months':
        return `clock(+${s.amount}mo)`;
      case 'interesting':
        return `clock(#${s.review} ${s.near ? 'next' : 'any'} rung ${s.pick})`;
      case 'weekday':
        return `clock(${['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][s.day]} ${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')})`;
    }
  }
}

/** Waits for streams and queues without moving the clock, then checks the mailbox (stage notices). */
export class SettleCommand implements Command {
  check(): boolean {
    return true;
  }

  async run(model: RunModel, system: ModelSystem): Promise<void> {
    model.steps++;
    const settled = await system.settle();
    model.note(`settle${settled ? '' : ' (did not settle within its limit)'}`);
    await checkMailbox(model, system, 'a settle');
  }

  toString(): string {
    return 'settle()';
  }
}

/** Every command, weighted so that races and rung-crossing clock moves are common. */
export function allCommands(): fc.Arbitrary<Command>[] {
  return [
    fc.oneof(
      { weight: 3, arbitrary: createSpec.map((s): Command => new CreateCommand(s)) },
      { weight: 18, arbitrary: opSpec.map((s): Command => new WriteCommand(s)) },
      {
        weight: 5,
        arbitrary: fc
          .tuple(fc.array(opSpec, { minLength: 2, maxLength: 3 }), fc.boolean(), fc.boolean())
          .map(([specs, same, same2]): Command => new BatchCommand(specs, same || same2)),
      },
      { weight: 11, arbitrary: clockSpec.map((s): Command => new ClockCommand(s)) },
      { weight: 2, arbitrary: fc.constant<Command>(new SettleCommand()) },
    ),
  ];
}
