import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocal } from '#infra/local/local-runtime.ts';
import { resourcesOfType } from '#infra/local/template.ts';
import {
  FAULT_KINDS,
  type FaultKind,
  type FaultProxy,
  type Service,
  startFaultProxy,
} from './support/fault-proxy.ts';

/**
 * Fault injection through local mode (DESIGN §4 "Concurrency and failure", §6 "Reliability"): emulators
 * stalled with SIGSTOP, and a proxy between the handlers' SDK clients and each emulator that stalls,
 * hangs, throttles, fails with 5xx or loses the reply after the write landed. Each scenario ends with
 * nothing lost, nothing twice and every notification that is due in a final state.
 */

const DDB = (op: string) => `DynamoDB_20120810.${op}`;
const FINAL = ['sent', 'skipped', 'cancelled', 'failed'];
/** The budget DESIGN §4 leaves inside API Gateway's 30 s. */
const API_ANSWER_MS = 15_000;

let runtime: LocalRuntime;
const proxies = {} as Record<Service, FaultProxy>;
const figures = {
  ...(Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>),
  sigstop: 0,
  mailsExpected: 0,
  mailsLost: 0,
  mailsDuplicated: 0,
  acceptedDuplicates: 0,
};
type Counted = FaultKind | 'sigstop';
/** Faults injected by each test, by kind. */
const perTest: Record<string, Partial<Record<Counted, number>>> = {};
let countedSoFar: Record<Counted, number> | undefined;
function faultsSoFar(): Record<Counted, number> {
  const counts = { sigstop: figures.sigstop } as Record<Counted, number>;
  for (const kind of FAULT_KINDS)
    counts[kind] = Object.values(proxies).reduce((sum, proxy) => sum + proxy.injected[kind], 0);
  return counts;
}

/** What each scenario saw, printed with the figures (for the README and the issue). */
const observations: string[] = [];
function observe(what: string, ...answers: Answer[]) {
  const seen = answers.map(
    (a) =>
      `${a.status}${a.json?.error ? ` ${a.json.error}` : ''}${a.headers.get('idempotent-replayed') ? ' (replayed)' : ''} in ${a.ms} ms`,
  );
  observations.push(`${what}: ${seen.join(' → ')}`);
}

beforeAll(async () => {
  runtime = await startLocal({
    port: 0,
    // The sweep runs only when a test moves the clock.
    realTimeSchedules: false,
    interpose: async (service, endpoint) => {
      proxies[service] = await startFaultProxy(service, endpoint);
      return proxies[service].url;
    },
  });
});
afterEach((context) => {
  const counts = faultsSoFar();
  perTest[context.task.name] = Object.fromEntries(
    Object.entries(counts)
      .map(([kind, n]) => [kind, n - (countedSoFar?.[kind as Counted] ?? 0)])
      .filter(([, n]) => n !== 0),
  );
  countedSoFar = counts;
  for (const proxy of Object.values(proxies)) proxy.clear();
  // A failed test must not leave an emulator stopped for the next one.
  for (const service of ['dynamodb', 'sqs', 'ses'] as const) runtime.emulators.signal(service, 'SIGCONT');
});
afterAll(async () => {
  await runtime?.stop();
  for (const proxy of Object.values(proxies)) await proxy.close();
  Object.assign(figures, faultsSoFar());
  const line =
    `faults: stall ${figures.stall} (+ SIGSTOP ${figures.sigstop}), hang ${figures.hang}, ` +
    `throttle ${figures.throttle}, 5xx ${figures['5xx']}, reply-lost ${figures['reply-lost']}; ` +
    `mails expected ${figures.mailsExpected}, lost ${figures.mailsLost}, duplicated ${figures.mailsDuplicated} ` +
    `(+ ${figures.acceptedDuplicates} accepted after a lost SES reply)`;
  console.log([...observations, line].join('\n'));
  mkdirSync('test-results', { recursive: true });
  writeFileSync(
    'test-results/fault-figures.json',
    `${JSON.stringify({ ...figures, summary: line, perTest, observations }, null, 2)}\n`,
  );
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  ms: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses
  json: any;
}

/** One API call as a Secretariat client; gives up at 29 s as API Gateway would (answered as 504). */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; key?: string } = {},
): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = { authorization: 'Bearer local-secretariat' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.key) headers['idempotency-key'] = options.key;
  try {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers,
      signal: AbortSignal.timeout(29_000),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: kept as text for the failure message.
    }
    return { status: response.status, ms: Date.now() - started, headers: response.headers, json };
  } catch {
    return { status: 504, ms: Date.now() - started, headers: new Headers(), json: null };
  }
}

/** DESIGN §4: a dependency that does not answer in time is 503 UNAVAILABLE with Retry-After, quickly. */
function expectUnavailable(answer: Answer) {
  const seen = { status: answer.status, error: answer.json?.error, slow: answer.ms >= API_ANSWER_MS };
  expect.soft(seen).toEqual({ status: 503, error: 'UNAVAILABLE', slow: false });
  expect.soft(answer.headers.get('retry-after')).toMatch(/^\d+$/);
}
/** The write may also succeed (the SDK's own retry got through), quickly too. */
function expectUnavailableOr(answer: Answer, success: number) {
  if (answer.status === success) expect.soft(answer.ms).toBeLessThan(API_ANSWER_MS);
  else expectUnavailable(answer);
}

/**
 * Retries a write with the same Idempotency-Key as a client would: after Retry-After (at most 5 s)
 * while the API answers 503, or 409 IDEMPOTENCY_IN_PROGRESS while the first request may still run,
 * for at most 30 s (API Gateway's own limit as a client's patience).
 */
async function retry(method: string, path: string, body: unknown, key: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  const until = Date.now() + 30_000;
  for (;;) {
    const answer = await call(method, path, { body, key });
    answers.push(answer);
    const again =
      answer.status === 503 || (answer.status === 409 && answer.json?.error === 'IDEMPOTENCY_IN_PROGRESS');
    if (!again || Date.now() > until) return answers;
    await sleep(Math.min(5, Number(answer.headers.get('retry-after') ?? 1)) * 1000);
  }
}
const trace = (answers: Answer[]) =>
  answers.map((a) => `${a.status}${a.json?.error ? ` ${a.json.error}` : ''}`);

/**
 * Local clock time after which a failed queue message is received again: the longest visibility timeout
 * the template declares, plus a minute.
 */
function pastVisibilityMs(): number {
  const timeouts = resourcesOfType(runtime.templates, 'AWS::SQS::Queue').map((q) =>
    Number(q.resource.Properties?.VisibilityTimeout ?? 30),
  );
  return (Math.max(...timeouts) + 60) * 1000;
}
const addressOf = (tag: string, state: string) => `${state.toLowerCase()}@${tag}.example`;
const STATES = ['GRC', 'AUT', 'BRA'] as const;

/** A review whose three focal points have addresses of their own (`<state>@<tag>.example`). */
function newReview(tag: string) {
  return {
    stateUnderReview: 'GRC',
    cluster: 2,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    // A month ahead: the scenarios move the clock by hours in all, and a review launched today
    // would have its first reminder at 09:00 Vienna today, mailed or not depending on the hour the
    // run started. Launched later, its first rung is weeks away and only its stage notice is due.
    launchedAt: new Date(runtime.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
    secretariatEmail: `officer@${tag}.example`,
    // Its own reference: with the default one (GRC-C2-<year> for every review here), a create whose
    // reply is lost may have met a reference taken by another scenario, not landed, and say nothing.
    reference: `FAULTS-${tag}`,
    focalPoints: Object.fromEntries(
      STATES.map((s) => [s, { name: `Focal point ${s}`, email: addressOf(tag, s), language: 'en' }]),
    ),
  };
}
async function createReview(tag: string): Promise<string> {
  const created = await call('POST', '/reviews', { body: newReview(tag) });
  expect(created.status).toBe(201);
  await settle();
  return created.json.id;
}
async function settle() {
  expect((await call('POST', '/_local/settle')).json?.settled).toBe(true);
}
async function advance(to: Date) {
  const moved = await call('POST', '/_local/clock', { body: { now: to.toISOString() } });
  expect(moved.status).toBe(200);
}

interface ReviewItem {
  id: string;
  stage: string;
  focalPoints?: Record<string, { email: string }>;
}
/** Every review of this local instance (each has GRC among its States). */
async function allReviews(): Promise<ReviewItem[]> {
  const found: ReviewItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(
      'GET',
      `/reviews?state=GRC&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status).toBe(200);
    found.push(...page.json.items);
    cursor = page.json.nextCursor ?? undefined;
  } while (cursor);
  return found;
}
/** Every review whose State under review's focal point has this tag's address. */
async function reviewsTagged(tag: string): Promise<ReviewItem[]> {
  return (await allReviews()).filter((r) => r.focalPoints?.GRC?.email === addressOf(tag, 'GRC'));
}
async function historyOf(id: string): Promise<{ type: string; stage: string }[]> {
  const history = await call('GET', `/reviews/${id}/history`);
  expect(history.status).toBe(200);
  return history.json.items;
}
interface NotificationItem {
  id: string;
  kind: string;
  stageEpoch: number;
  dueAt: string;
  status: string;
  reason?: string;
  deliveries: { recipient: string; status: string; reason?: string }[];
}
async function notificationsOf(id: string): Promise<NotificationItem[]> {
  const answer = await call('GET', `/reviews/${id}/notifications`);
  expect(answer.status).toBe(200);
  return answer.json.items;
}

interface ExpectedMail {
  to: string;
  reviewId: string;
  stageEpoch: number;
  kind: string;
}
const stageNotices = (tag: string, reviewId: string, stageEpoch: number): ExpectedMail[] =>
  STATES.map((s) => ({ to: addressOf(tag, s), reviewId, stageEpoch, kind: 'stage_notice' }));
const mailKey = (m: ExpectedMail) => `${m.to} ${m.kind} epoch ${m.stageEpoch} of ${m.reviewId}`;
/** The stage notices of a review created and then moved once: those of both stage entries. */
const bothStageNotices = (tag: string, reviewId: string): ExpectedMail[] => [
  ...stageNotices(tag, reviewId, 1),
  ...stageNotices(tag, reviewId, 2),
];
/** Moves a review from its first stage to the second; the API must accept the move. */
async function moveToSelfAssessment(id: string): Promise<void> {
  expect((await call('POST', `/reviews/${id}/transitions`, { body: { to: 'self_assessment' } })).status).toBe(
    200,
  );
}

/** Mail in the mailbox by (recipient, review, stage epoch, kind), for the recipients `which` accepts. */
async function mailCounts(which: (to: string) => boolean): Promise<Map<string, number>> {
  const mailbox = await call('GET', '/_local/mailbox');
  const counts = new Map<string, number>();
  for (const m of mailbox.json.messages as ({ to: string[] } & Omit<ExpectedMail, 'to'>)[]) {
    // The Monday digest is the Secretariat's own weekly mail, not a review's (digest.test.ts).
    if (m.kind === 'digest') continue;
    for (const to of m.to.filter(which)) {
      const key = mailKey({ to, reviewId: m.reviewId, stageEpoch: m.stageEpoch, kind: m.kind });
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** The notifications of a review in a few words, for failure messages. */
async function planSummary(id: string): Promise<string> {
  return (await notificationsOf(id))
    .filter((n) => Date.parse(n.dueAt) <= runtime.now().getTime())
    .map((n) => {
      const deliveries = n.deliveries.map(
        (d) => `${d.recipient} ${d.status}${d.reason ? ` (${d.reason})` : ''}`,
      );
      return `${n.kind} epoch ${n.stageEpoch} ${n.status}${n.reason ? ` (${n.reason})` : ''} [${deliveries.join(', ')}]`;
    })
    .join('; ');
}

/**
 * How every scenario ends: the clock moves past the queues' visibility timeout (the sweep runs, failed
 * messages come back) and everything settles; then nothing lost and nothing twice (the mail to this tag's
 * addresses is exactly `expected`, each once, keyed by recipient, review, stage epoch and kind), and
 * every notification of these reviews that is due by now is in a final state. `acceptDuplicates` is
 * DESIGN §3's one window, a lost SES reply.
 */
async function expectNothingLostNothingTwice(
  tag: string,
  expected: ExpectedMail[],
  reviewIds: string[],
  acceptDuplicates = 0,
) {
  await advance(new Date(runtime.now().getTime() + pastVisibilityMs()));
  await settle();
  const counts = await mailCounts((to) => to.endsWith(`@${tag}.example`));
  const wanted = new Set(expected.map(mailKey));
  const lost = [...wanted].filter((k) => !counts.has(k));
  const twice = [...counts].filter(([k, n]) => wanted.has(k) && n > 1).map(([k, n]) => `${k} × ${n}`);
  const extra = [...counts].filter(([k]) => !wanted.has(k)).map(([k, n]) => `${k} × ${n}`);
  const copies = [...counts].reduce((sum, [k, n]) => sum + (wanted.has(k) ? n - 1 : n), 0);
  const accepted = Math.min(copies, acceptDuplicates);
  figures.mailsExpected += wanted.size;
  figures.mailsLost += lost.length;
  figures.mailsDuplicated += copies - accepted;
  figures.acceptedDuplicates += accepted;
  observations.push(`${tag}: mails expected ${wanted.size}, lost ${lost.length}, extra copies ${copies}`);

  const plans = (await Promise.all(reviewIds.map(async (id) => `${id}: ${await planSummary(id)}`))).join(
    '\n',
  );
  expect.soft({ lost, extra }, plans).toEqual({ lost: [], extra: [] });
  expect.soft(copies, `sent twice: ${twice.join(', ')}`).toBeLessThanOrEqual(acceptDuplicates);
  const now = runtime.now().getTime();
  for (const id of reviewIds) {
    const open = (await notificationsOf(id))
      .filter((n) => Date.parse(n.dueAt) <= now && !FINAL.includes(n.status))
      .map((n) => `${n.kind} epoch ${n.stageEpoch}: ${n.status}`);
    expect.soft(open, `not in a final state, review ${id}`).toEqual([]);
  }
}

/** Stops an emulator's process group for `ms`, with `act` started inside the stall; always resumed. */
async function stalled<T>(service: Service, ms: number, act: () => T): Promise<T> {
  runtime.emulators.signal(service, 'SIGSTOP');
  figures.sigstop++;
  try {
    const started = act();
    await sleep(ms);
    return started;
  } finally {
    runtime.emulators.signal(service, 'SIGCONT');
  }
}

/**
 * Stops an emulator for `ms` at the moment a matching request reaches it through the proxy (before that
 * request is forwarded); resolves once it is running again.
 */
function stallWhen(
  service: Service,
  operation: string,
  when: (body: string) => boolean,
  ms: number,
): { resumed: Promise<void> } {
  let resume: () => void = () => undefined;
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  void proxies[service].before(operation, when, () => {
    runtime.emulators.signal(service, 'SIGSTOP');
    figures.sigstop++;
    setTimeout(() => {
      runtime.emulators.signal(service, 'SIGCONT');
      resume();
    }, ms);
  });
  return {
    resumed: Promise.race([
      resumed,
      sleep(30_000).then(() => {
        throw new Error(`no ${operation} matching the trigger reached ${service}`);
      }),
    ]),
  };
}

/** The first pending reminder of a review, to move the clock to. */
async function firstPendingReminder(id: string): Promise<NotificationItem> {
  const reminder = (await notificationsOf(id)).find((n) => n.kind === 'reminder' && n.status === 'pending');
  expect(reminder).toBeDefined();
  return reminder as NotificationItem;
}
/** A review in self_assessment with a deadline 10 days out: its first reminder falls within a few days. */
async function reviewAwaitingReminder(tag: string): Promise<{ id: string; reminder: NotificationItem }> {
  const id = await createReview(tag);
  const moved = await call('POST', `/reviews/${id}/transitions`, {
    body: {
      to: 'self_assessment',
      deadline: new Date(runtime.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10),
    },
  });
  expect(moved.status).toBe(200);
  await settle();
  return { id, reminder: await firstPendingReminder(id) };
}

describe('API writes while DynamoDB is stalled', () => {
  it('answers 503 with Retry-After within 15 s, and a retry with the same key acts once', async () => {
    const moving = await createReview('stall-move');
    const createBody = newReview('stall-new');
    const transition = { to: 'self_assessment' };

    // DynamoDB stopped for 20 s with a create and a transition in flight.
    const [firstCreate, firstMove] = await Promise.all(
      await stalled('dynamodb', 20_000, () => [
        call('POST', '/reviews', { body: createBody, key: 'stall-create' }),
        call('POST', `/reviews/${moving}/transitions`, { body: transition, key: 'stall-move' }),
      ]),
    );
    const retriedCreate = await retry('POST', '/reviews', createBody, 'stall-create');
    const retriedMove = await retry('POST', `/reviews/${moving}/transitions`, transition, 'stall-move');
    await settle();
    observe('DynamoDB stopped 20 s, create', firstCreate, ...retriedCreate);
    observe('DynamoDB stopped 20 s, transition', firstMove, ...retriedMove);

    expectUnavailableOr(firstCreate, 201);
    expectUnavailableOr(firstMove, 200);
    expect.soft(trace(retriedCreate).at(-1), trace(retriedCreate).join(' → ')).toBe('201');
    expect.soft(trace(retriedMove).at(-1), trace(retriedMove).join(' → ')).toBe('200');
    const created = retriedCreate.at(-1)?.json.id;
    if (firstCreate.status === 201) {
      expect(retriedCreate.at(-1)?.headers.get('idempotent-replayed')).toBe('true');
      expect(created).toBe(firstCreate.json.id);
    }
    expect.soft((await reviewsTagged('stall-new')).map((r) => r.id)).toEqual([created]);
    const transitions = (await historyOf(moving)).filter((e) => e.type === 'transitioned');
    expect.soft(transitions.map((e) => e.stage)).toEqual(['self_assessment']);
    await expectNothingLostNothingTwice('stall-new', stageNotices('stall-new', created, 1), [created]);
    await expectNothingLostNothingTwice('stall-move', bothStageNotices('stall-move', moving), [moving]);
  }, 90_000);
});

describe('API writes whose DynamoDB reply is lost after the write landed', () => {
  it('replays a create whose transaction landed but whose every reply was lost', async () => {
    const body = newReview('lost-create');
    const lost = proxies.dynamodb.inject({
      operation: DDB('TransactWriteItems'),
      when: (b) => b.includes(addressOf('lost-create', 'GRC')),
      fault: { kind: 'reply-lost' },
    });
    const first = await call('POST', '/reviews', { body, key: 'lost-create' });
    lost.remove();
    const retried = await retry('POST', '/reviews', body, 'lost-create');
    await settle();
    observe(`create, every TransactWriteItems reply lost (${lost.hits})`, first, ...retried);

    expect(lost.hits).toBeGreaterThan(0);
    expectUnavailableOr(first, 201);
    expect.soft(trace(retried).at(-1), trace(retried).join(' → ')).toBe('201');
    expect.soft(retried.at(-1)?.headers.get('idempotent-replayed')).toBe('true');
    const id = retried.at(-1)?.json.id;
    expect.soft((await reviewsTagged('lost-create')).map((r) => r.id)).toEqual([id]);
    expect.soft((await historyOf(id)).map((e) => e.type)).toEqual(['created']);
    await expectNothingLostNothingTwice('lost-create', stageNotices('lost-create', id, 1), [id]);
  });

  it('replays a create whose transaction was held past the SDK timeout and landed after the API answered', async () => {
    const body = newReview('late-create');
    const late = proxies.dynamodb.inject({
      operation: DDB('TransactWriteItems'),
      when: (b) => b.includes(addressOf('late-create', 'GRC')),
      fault: { kind: 'stall', ms: 4_000 },
    });
    const first = await call('POST', '/reviews', { body, key: 'late-create' });
    // Past the stall: whatever the API sent has landed by now.
    await sleep(5_000);
    late.remove();
    const retried = await retry('POST', '/reviews', body, 'late-create');
    await settle();
    observe(`create, TransactWriteItems held 4 s (${late.hits})`, first, ...retried);

    expect(late.hits).toBeGreaterThan(0);
    expectUnavailableOr(first, 201);
    expect.soft(trace(retried).at(-1), trace(retried).join(' → ')).toBe('201');
    const id = retried.at(-1)?.json.id;
    expect.soft((await reviewsTagged('late-create')).map((r) => r.id)).toEqual([id]);
    await expectNothingLostNothingTwice('late-create', stageNotices('late-create', id, 1), [id]);
  });

  it('recovers through the SDK retry when only the first reply of a create is lost', async () => {
    const body = newReview('lost-once');
    const lost = proxies.dynamodb.inject({
      operation: DDB('TransactWriteItems'),
      when: (b) => b.includes(addressOf('lost-once', 'GRC')),
      fault: { kind: 'reply-lost' },
      times: 1,
    });
    const first = await call('POST', '/reviews', { body, key: 'lost-once' });
    const retried = first.status === 201 ? [first] : await retry('POST', '/reviews', body, 'lost-once');
    await settle();
    observe(
      'create, first TransactWriteItems reply lost',
      ...(first === retried[0] ? [first] : [first, ...retried]),
    );

    expect(lost.hits).toBe(1);
    expectUnavailableOr(first, 201);
    expect.soft(trace(retried).at(-1), trace(retried).join(' → ')).toBe('201');
    const id = retried.at(-1)?.json.id;
    expect.soft((await reviewsTagged('lost-once')).map((r) => r.id)).toEqual([id]);
    await expectNothingLostNothingTwice('lost-once', stageNotices('lost-once', id, 1), [id]);
  });

  it('replays a transition whose transaction landed but whose reply was lost, never 409', async () => {
    const id = await createReview('lost-move');
    const transition = { to: 'self_assessment' };
    const lost = proxies.dynamodb.inject({
      operation: DDB('TransactWriteItems'),
      when: (b) => b.includes(id) && b.includes('self_assessment'),
      fault: { kind: 'reply-lost' },
    });
    const first = await call('POST', `/reviews/${id}/transitions`, { body: transition, key: 'lost-move' });
    lost.remove();
    const retried = await retry('POST', `/reviews/${id}/transitions`, transition, 'lost-move');
    await settle();
    observe(`transition, every TransactWriteItems reply lost (${lost.hits})`, first, ...retried);

    expect(lost.hits).toBeGreaterThan(0);
    expectUnavailableOr(first, 200);
    expect.soft(trace(retried).at(-1), trace(retried).join(' → ')).toBe('200');
    expect.soft(retried.at(-1)?.headers.get('idempotent-replayed')).toBe('true');
    expect.soft((await historyOf(id)).map((e) => e.type)).toEqual(['created', 'transitioned']);
    await expectNothingLostNothingTwice('lost-move', bothStageNotices('lost-move', id), [id]);
  });
});

describe('API calls while DynamoDB throttles, fails or hangs', () => {
  // A later request here takes a new key: the one the refused request held stays IN_PROGRESS until its
  // claim expires (30 s), which the stall scenarios above already wait out.
  it('answers 503 with Retry-After on a throttled create, writes nothing, and a later create acts once', async () => {
    const body = newReview('throttled');
    const throttled = proxies.dynamodb.inject({
      operation: DDB('TransactWriteItems'),
      when: (b) => b.includes(addressOf('throttled', 'GRC')),
      fault: { kind: 'throttle' },
    });
    const first = await call('POST', '/reviews', { body, key: 'throttled' });
    await settle();
    const halfWritten = await reviewsTagged('throttled');
    throttled.remove();
    const retried = await retry('POST', '/reviews', body, 'throttled-later');
    await settle();
    observe(`create, TransactWriteItems throttled (${throttled.hits})`, first, ...retried);

    expect(throttled.hits).toBeGreaterThan(0);
    expectUnavailable(first);
    expect.soft(halfWritten).toEqual([]);
    expect.soft(trace(retried).at(-1), trace(retried).join(' → ')).toBe('201');
    const id = retried.at(-1)?.json.id;
    expect.soft((await reviewsTagged('throttled')).map((r) => r.id)).toEqual([id]);
    await expectNothingLostNothingTwice('throttled', stageNotices('throttled', id, 1), [id]);
  });

  it('succeeds when the SDK retries a single throttled call', async () => {
    const throttled = proxies.dynamodb.inject({
      operation: DDB('TransactWriteItems'),
      when: (b) => b.includes(addressOf('throttled-once', 'GRC')),
      fault: { kind: 'throttle', code: 'ThrottlingException' },
      times: 1,
    });
    const first = await call('POST', '/reviews', {
      body: newReview('throttled-once'),
      key: 'throttled-once',
    });
    await settle();

    observe('create, one TransactWriteItems throttled', first);
    expect(throttled.hits).toBe(1);
    expect.soft(first.status).toBe(201);
    expect.soft((await reviewsTagged('throttled-once')).map((r) => r.id)).toEqual([first.json.id]);
    await expectNothingLostNothingTwice('throttled-once', stageNotices('throttled-once', first.json.id, 1), [
      first.json.id,
    ]);
  });

  it('answers 503 when a transition meets 500 and 503 from DynamoDB, leaves the review as it was, and a later transition acts once', async () => {
    const id = await createReview('failing-move');
    const transition = { to: 'self_assessment' };
    const failing = [
      proxies.dynamodb.inject({
        operation: DDB('TransactWriteItems'),
        when: (b) => b.includes(id),
        fault: { kind: '5xx', status: 500 },
        times: 1,
      }),
      proxies.dynamodb.inject({
        operation: DDB('TransactWriteItems'),
        when: (b) => b.includes(id),
        fault: { kind: '5xx', status: 503 },
      }),
    ];
    const first = await call('POST', `/reviews/${id}/transitions`, { body: transition, key: 'failing-move' });
    await settle();
    const unchanged = await call('GET', `/reviews/${id}`);
    const historyBefore = await historyOf(id);
    for (const rule of failing) rule.remove();
    const retried = await retry('POST', `/reviews/${id}/transitions`, transition, 'failing-move-later');
    await settle();
    observe('transition, TransactWriteItems 500 then 503', first, ...retried);

    expectUnavailable(first);
    expect.soft(unchanged.json.stage).toBe('launched');
    expect.soft(historyBefore.map((e) => e.type)).toEqual(['created']);
    expect.soft(trace(retried).at(-1), trace(retried).join(' → ')).toBe('200');
    expect.soft((await historyOf(id)).map((e) => e.type)).toEqual(['created', 'transitioned']);
    await expectNothingLostNothingTwice('failing-move', bothStageNotices('failing-move', id), [id]);
  });

  it('answers reads with 503 and Retry-After while DynamoDB throttles, fails or hangs, never 500', async () => {
    const id = await createReview('reads');
    const answers: Record<string, Answer> = {};
    let rule = proxies.dynamodb.inject({ operation: DDB('GetItem'), fault: { kind: '5xx', status: 503 } });
    answers['GET review, 503'] = await call('GET', `/reviews/${id}`);
    rule.remove();
    rule = proxies.dynamodb.inject({ operation: DDB('Query'), fault: { kind: 'throttle' } });
    answers['GET list, throttled'] = await call('GET', '/reviews?state=GRC');
    answers['GET history, throttled'] = await call('GET', `/reviews/${id}/history`);
    rule.remove();
    rule = proxies.dynamodb.inject({ operation: DDB('GetItem'), fault: { kind: 'hang' } });
    answers['GET review, hung'] = await call('GET', `/reviews/${id}`);
    rule.remove();
    rule = proxies.dynamodb.inject({ operation: DDB('PutItem'), fault: { kind: 'hang' } });
    answers['POST deadline with a key, claim hung'] = await call('POST', `/reviews/${id}/deadline`, {
      body: {
        deadline: new Date(runtime.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
        reason: 'hang',
      },
      key: 'reads-hang',
    });
    rule.remove();

    for (const [what, answer] of Object.entries(answers)) observe(what, answer);
    const seen = Object.fromEntries(
      Object.entries(answers).map(([what, a]) => [
        what,
        `${a.status} ${a.json?.error} retry-after ${a.headers.get('retry-after') !== null} ${a.ms < API_ANSWER_MS ? 'fast' : `${a.ms} ms`}`,
      ]),
    );
    expect
      .soft(seen)
      .toEqual(
        Object.fromEntries(Object.keys(answers).map((w) => [w, '503 UNAVAILABLE retry-after true fast'])),
      );
    expect.soft((await historyOf(id)).map((e) => e.type)).toEqual(['created']);
    await settle();
    await expectNothingLostNothingTwice('reads', stageNotices('reads', id, 1), [id]);
  });
});

describe('the pipeline while DynamoDB is stalled', () => {
  it('plans and sends the stage notices of a transition once when DynamoDB stops as the planner writes the plan', async () => {
    const id = await createReview('stall-plan');
    const stall = stallWhen(
      'dynamodb',
      DDB('TransactWriteItems'),
      (b) => b.includes(id) && b.includes('plannedAt'),
      7_000,
    );
    await moveToSelfAssessment(id);
    await stall.resumed;
    await settle();

    await expectNothingLostNothingTwice('stall-plan', bothStageNotices('stall-plan', id), [id]);
  }, 60_000);

  it('sends each stage notice once when DynamoDB stops as the mailer claims it', async () => {
    const id = await createReview('stall-claim');
    // The claim rides in the write before the first send, with that person's stage notice claim.
    const stall = stallWhen(
      'dynamodb',
      DDB('TransactWriteItems'),
      (b) => b.includes(id) && b.includes('claimedAt = :now'),
      7_000,
    );
    await moveToSelfAssessment(id);
    await stall.resumed;
    await settle();

    await expectNothingLostNothingTwice('stall-claim', bothStageNotices('stall-claim', id), [id]);
  }, 60_000);

  // Deterministic form of the claim race above: the claim lands, its reply is lost, the SDK retries it.
  it("sends each stage notice once when the reply to the mailer's claim is lost after the claim landed", async () => {
    const id = await createReview('lost-claim');
    const lost = proxies.dynamodb.inject({
      operation: DDB('TransactWriteItems'),
      when: (b) => b.includes(id) && b.includes('claimedAt = :now'),
      fault: { kind: 'reply-lost' },
      times: 1,
    });
    await moveToSelfAssessment(id);
    await settle();

    expect(lost.hits).toBe(1);
    await expectNothingLostNothingTwice('lost-claim', bothStageNotices('lost-claim', id), [id]);
  });

  it('sends a due reminder once when DynamoDB stops as the sweep marks it queued', async () => {
    const { id, reminder } = await reviewAwaitingReminder('stall-sweep');
    const stall = stallWhen(
      'dynamodb',
      DDB('UpdateItem'),
      (b) => b.includes(id) && b.includes('queuedAt = :now'),
      7_000,
    );
    await advance(new Date(Date.parse(reminder.dueAt) + 60_000));
    await stall.resumed;
    await settle();

    await expectNothingLostNothingTwice(
      'stall-sweep',
      [
        ...bothStageNotices('stall-sweep', id),
        { to: addressOf('stall-sweep', 'GRC'), reviewId: id, stageEpoch: 2, kind: 'reminder' },
      ],
      [id],
    );
  }, 60_000);
});

describe('sends while SES is stalled, throttling or failing', () => {
  it('sends each stage notice once when SES stops for 6 s, shorter than the send timeout', async () => {
    const stall = stallWhen('ses', 'SendRawEmail', (b) => b.includes('ses-stall.example'), 6_000);
    const created = await call('POST', '/reviews', { body: newReview('ses-stall') });
    await stall.resumed;
    await settle();

    expect(created.status).toBe(201);
    await expectNothingLostNothingTwice('ses-stall', stageNotices('ses-stall', created.json.id, 1), [
      created.json.id,
    ]);
  }, 60_000);

  it('retries throttled and failed sends through the queue, each mail exactly once', async () => {
    const sesOf = (tag: string) => (b: string) => b.includes(`${tag}.example`);
    proxies.ses.inject({
      operation: 'SendRawEmail',
      when: sesOf('ses-throttle'),
      fault: { kind: 'throttle' },
      times: 2,
    });
    proxies.ses.inject({
      operation: 'SendRawEmail',
      when: sesOf('ses-5xx'),
      fault: { kind: '5xx', status: 500 },
      times: 1,
    });
    proxies.ses.inject({
      operation: 'SendRawEmail',
      when: sesOf('ses-5xx'),
      fault: { kind: '5xx', status: 503 },
      times: 1,
    });
    const throttled = await createReview('ses-throttle');
    const failed = await createReview('ses-5xx');
    // Each failed receive waits for the message's visibility timeout (on the local clock).
    for (let i = 0; i < 3; i++) await advance(new Date(runtime.now().getTime() + pastVisibilityMs()));

    await expectNothingLostNothingTwice('ses-throttle', stageNotices('ses-throttle', throttled, 1), [
      throttled,
    ]);
    await expectNothingLostNothingTwice('ses-5xx', stageNotices('ses-5xx', failed, 1), [failed]);
  }, 60_000);

  it('sends at most one duplicate when an SES reply is lost after the send, and records the unknown outcome', async () => {
    const lost = proxies.ses.inject({
      operation: 'SendRawEmail',
      when: (b) => b.includes('ses-lost.example'),
      fault: { kind: 'reply-lost' },
      times: 1,
    });
    const id = await createReview('ses-lost');
    await advance(new Date(runtime.now().getTime() + pastVisibilityMs()));

    expect(lost.hits).toBe(1);
    await expectNothingLostNothingTwice('ses-lost', stageNotices('ses-lost', id, 1), [id], 1);
    const notice = (await notificationsOf(id)).find((n) => n.kind === 'stage_notice');
    const unknown = [
      notice?.reason ?? '',
      ...(notice?.deliveries ?? []).map((d) => `${d.status} ${d.reason ?? ''}`),
    ].filter((s) => /unknown/i.test(s));
    expect.soft(unknown, JSON.stringify(notice)).not.toEqual([]);
  }, 60_000);
});

describe('enqueueing while SQS is stalled or throttling', () => {
  it('sends the stage notices of a transition once when the planner cannot enqueue them', async () => {
    const id = await createReview('sqs-throttle');
    const throttled = proxies.sqs.inject({
      operation: 'AmazonSQS.SendMessageBatch',
      when: (b) => b.includes(id),
      fault: { kind: 'throttle' },
    });
    await moveToSelfAssessment(id);
    await settle();
    throttled.remove();
    // The sweep takes what stayed pending.
    await advance(new Date(runtime.now().getTime() + 2 * 60_000));

    expect(throttled.hits).toBeGreaterThan(0);
    await expectNothingLostNothingTwice('sqs-throttle', bothStageNotices('sqs-throttle', id), [id]);
  }, 60_000);

  it("sends the stage notices of a transition once when the reply to the planner's enqueue is lost", async () => {
    const id = await createReview('sqs-lost');
    const lost = proxies.sqs.inject({
      operation: 'AmazonSQS.SendMessageBatch',
      when: (b) => b.includes(id),
      fault: { kind: 'reply-lost' },
      times: 1,
    });
    await moveToSelfAssessment(id);
    await settle();

    expect(lost.hits).toBe(1);
    await expectNothingLostNothingTwice('sqs-lost', bothStageNotices('sqs-lost', id), [id]);
  });

  it('sends a due reminder once when SQS stops as the sweep enqueues it', async () => {
    const { id, reminder } = await reviewAwaitingReminder('sqs-stall');
    const stall = stallWhen('sqs', 'AmazonSQS.SendMessageBatch', (b) => b.includes(id), 7_000);
    await advance(new Date(Date.parse(reminder.dueAt) + 60_000));
    await stall.resumed;
    await settle();

    await expectNothingLostNothingTwice(
      'sqs-stall',
      [
        ...bothStageNotices('sqs-stall', id),
        { to: addressOf('sqs-stall', 'GRC'), reviewId: id, stageEpoch: 2, kind: 'reminder' },
      ],
      [id],
    );
  }, 60_000);
});

describe('after every scenario', () => {
  it('leaves every notification of every review in a final state once the clock has passed everything due, nothing sent twice', async () => {
    const before = await mailCounts(() => true);
    // Past the last escalation of the longest default stage (six months, then 164 days).
    await advance(new Date(runtime.now().getTime() + 400 * 86_400_000));
    // A burst of sends can take longer than one settle (at most 10 s each).
    for (let attempt = 0; attempt < 6; attempt++)
      if ((await call('POST', '/_local/settle')).json?.settled) break;
    await advance(new Date(runtime.now().getTime() + pastVisibilityMs()));
    await settle();

    const after = await mailCounts(() => true);
    const twice = [...after]
      .filter(([key, n]) => n > 1 && n !== before.get(key))
      .map(([key, n]) => `${key} × ${n}`);
    figures.mailsDuplicated += twice.length;
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
    observations.push(
      `clock past everything due: ${total(after) - total(before)} more mails, ${twice.length} twice`,
    );
    expect.soft(twice).toEqual([]);
    const open: string[] = [];
    for (const review of await allReviews()) {
      for (const n of await notificationsOf(review.id))
        if (!FINAL.includes(n.status)) open.push(`${review.id} ${n.kind} epoch ${n.stageEpoch}: ${n.status}`);
    }
    expect.soft(open).toEqual([]);
  }, 120_000);
});
