import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dueShardKey, notificationSk, reviewPk } from '#shared/adapters/dynamodb-keys.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import {
  notificationId,
  type PlannedNotification,
  planNotifications,
} from '#shared/domain/notification-plan.ts';
import { findStage } from '#shared/domain/process-definition.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import type { DynamoFixture } from './dynamo-fixture.ts';
import { progress } from './quiet-output.ts';
import { type Metric, round, type SectionResult } from './report.ts';
import { median, sleep, timed } from './stats.ts';

/**
 * Sweep read ratio (DESIGN §6): the real `listDue` on the sparse `due` index beside a `Scan`
 * of the same table, both counted in items DynamoDB read (`ScannedCount`), not items returned.
 */

export const SWEEP_READ_TARGET = 1.02;
/** The design's table: 100,000 reviews, each with its whole stage plan waiting. */
const DESIGN_REVIEWS = 100_000;
const MIN_N = 20_000;
/**
 * DynamoDB Local pages a Scan at a cost that grows with the table (each page re-reads it), so a
 * full Scan is quadratic: 60,000 items take ~9 s, 120,000 ~40 s, 370,000 many minutes. N stops
 * here so the Scan side of the comparison stays bounded (~30 s a Scan).
 */
const MAX_N_FOR_SCAN = 100_000;
const DUE = 1_000;
/** What `listDue` is asked for: more than is due, so it must find the end of each shard itself. */
const LIST_LIMIT = 2_000;
const BATCH = 25;
const WRITERS = 4;
/** Loaded first and not timed: the JVM and the SDK warm up on it. */
const WARMUP_ITEMS = 2_500;
/** Loaded next and timed: the load rate N is sized from. */
const CALIBRATION_ITEMS = 5_000;
const REPEATS = 2;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type Item = Record<string, unknown>;

/** A pending notification exactly as DynamoDbNotificationStore.addPlanned writes it. */
export function storedItem(planned: PlannedNotification, plannedAt: string): Item {
  return {
    pk: reviewPk(planned.reviewId),
    sk: notificationSk(planned.stageEpoch, planned.id),
    ...planned,
    status: 'pending',
    deliveries: [],
    plannedAt,
    duePk: dueShardKey(planned.id),
  };
}

const SELF_ASSESSMENT = findStage(UNTOC_PROCESS, 'self_assessment');

/**
 * The pending part of a review's plan as the planner makes it on entering self-assessment
 * (reminders, overdue notice, escalations; the stage notice is queued at once, so not waiting).
 * Planned once per deadline and re-keyed per review, because planning is the slow part.
 */
function planTemplate(deadline: string, now: string): PlannedNotification[] {
  if (!SELF_ASSESSMENT) throw new Error('no self_assessment stage in UNTOC_PROCESS');
  return planNotifications({
    process: UNTOC_PROCESS,
    reviewId: 'template',
    stage: SELF_ASSESSMENT,
    stageEpoch: 2,
    stageEnteredAt: now,
    deadline,
    now,
    includeStageNotice: false,
  });
}

/** The plans of reviews whose deadlines are 40 to 400 days ahead (nothing due yet), `count` items in all. */
function* futureItems(count: number, now: number, stats: { reviews: number }): Generator<Item> {
  const nowIso = new Date(now).toISOString();
  const today = localDate(nowIso, UNTOC_PROCESS.timeZone);
  const templates = new Map<string, PlannedNotification[]>();
  let emitted = 0;
  while (emitted < count) {
    const deadline = addDays(today, 40 + Math.floor(Math.random() * 360));
    const template = templates.get(deadline) ?? planTemplate(deadline, nowIso);
    templates.set(deadline, template);
    const reviewId = randomUUID();
    stats.reviews++;
    for (const p of template) {
      if (emitted++ >= count) return;
      const id = notificationId(reviewId, p.stageEpoch, p.deadline, p.kind, p.occurrence);
      yield storedItem({ ...p, reviewId, id }, nowIso);
    }
  }
}

/** `count` first reminders due within the last hour, one per review. */
function* dueItems(count: number, now: number): Generator<Item> {
  const plannedAt = new Date(now - 40 * DAY_MS).toISOString();
  for (let i = 0; i < count; i++) {
    const reviewId = randomUUID();
    const deadline = localDate(new Date(now + 30 * DAY_MS).toISOString(), UNTOC_PROCESS.timeZone);
    const planned: PlannedNotification = {
      id: notificationId(reviewId, 2, deadline, 'reminder', 1),
      reviewId,
      stage: 'self_assessment',
      stageEpoch: 2,
      deadline,
      kind: 'reminder',
      occurrence: 1,
      offsetDays: -30,
      audience: 'responsible',
      dueAt: new Date(now - 1_000 - Math.random() * (HOUR_MS - 2_000)).toISOString(),
    };
    yield storedItem(planned, plannedAt);
  }
}

function* batches(items: Iterable<Item>): Generator<Item[]> {
  let batch: Item[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * BatchWriteItem, 25 items a call, {@link WRITERS} writers pulling from one generator;
 * unprocessed items are written again. Stops early (returns fewer) once `deadline` passes.
 */
export async function load(
  documents: DynamoDBDocumentClient,
  table: string,
  items: Iterable<Item>,
  deadline = Number.POSITIVE_INFINITY,
): Promise<number> {
  const source = batches(items);
  let written = 0;
  const writer = async () => {
    for (let next = source.next(); !next.done && Date.now() < deadline; next = source.next()) {
      let requests = next.value.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        const unprocessed = result.UnprocessedItems?.[table] ?? [];
        written += requests.length - unprocessed.length;
        requests = unprocessed as typeof requests;
        if (requests.length > 0) await sleep(Math.min(1_000, 50 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return written;
}

/** The sweep as a scan would do it: every item read, the filter applied afterwards. */
async function scanSweep(documents: DynamoDBDocumentClient, table: string, now: string): Promise<number> {
  let matched = 0;
  let startKey: Item | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#status = :pending AND dueAt <= :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':now': now },
        ExclusiveStartKey: startKey,
      }),
    );
    matched += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return matched;
}

interface ReadSample {
  ms: number;
  returned: number;
  itemsRead: number;
  capacityUnits: number;
  calls: number;
}

export async function benchSweepRead(
  fixture: DynamoFixture,
  loadBudgetSeconds: number,
): Promise<SectionResult> {
  const table = fixture.tables.notifications;
  const loadStart = Date.now();
  const reviews = { reviews: 0 };

  // Warm up, then measure the load rate on a slice and size N to fit the time budget.
  const warmup = await load(fixture.documents, table, futureItems(WARMUP_ITEMS, loadStart, reviews));
  const calibration = await timed(() =>
    load(fixture.documents, table, futureItems(CALIBRATION_ITEMS, Date.now(), reviews)),
  );
  const rate = calibration.result / (calibration.ms / 1000);
  const perReview = (warmup + calibration.result) / reviews.reviews;
  const designN = Math.round(DESIGN_REVIEWS * perReview);
  const affordable = Math.floor((rate * loadBudgetSeconds) / 1000) * 1000;
  const plannedN = Math.min(designN, MAX_N_FOR_SCAN, Math.max(MIN_N, affordable));
  progress(`sweep: load rate ${Math.round(rate)} items/s → N = ${plannedN} not-yet-due + ${DUE} due`);
  // A hard stop keeps the bench bounded if the rate drops; N is then what was loaded.
  const hardStop = loadStart + 1200 * Math.max(loadBudgetSeconds, plannedN / rate);
  const loaded = warmup + calibration.result;
  const rest = await load(
    fixture.documents,
    table,
    futureItems(plannedN - loaded, Date.now(), reviews),
    hardStop,
  );
  const n = loaded + rest;
  const due = await load(fixture.documents, table, dueItems(DUE, Date.now()));
  const loadSeconds = (Date.now() - loadStart) / 1000;
  progress(`sweep: loaded ${n + due} items in ${Math.round(loadSeconds)} s`);

  const store = new DynamoDbNotificationStore(fixture.counted, table);
  const now = new Date().toISOString();
  const sample = async (read: () => Promise<number>): Promise<ReadSample> => {
    fixture.counter.reset();
    const { result, ms } = await timed(read);
    const c = fixture.counter;
    return {
      ms,
      returned: result,
      itemsRead: c.itemsRead,
      capacityUnits: c.capacityUnits,
      calls: c.calls.length,
    };
  };
  const index: ReadSample[] = [];
  const scan: ReadSample[] = [];
  const readIndex = async () => {
    index.push(await sample(async () => (await store.listDue(now, LIST_LIMIT)).length));
  };
  const readScan = async () => {
    scan.push(await sample(() => scanSweep(fixture.counted, table, now)));
  };
  for (let i = 0; i < REPEATS; i++) {
    // Alternate which goes first, so cache warmth and drift favour neither.
    for (const read of i % 2 === 0 ? [readIndex, readScan] : [readScan, readIndex]) await read();
  }

  // Items read do not vary between repeats; the worst is taken all the same.
  const mostRead = (samples: ReadSample[]) => Math.max(...samples.map((s) => s.itemsRead));
  const mostCapacity = (samples: ReadSample[]) => Math.max(...samples.map((s) => s.capacityUnits));
  const indexRatio = mostRead(index) / due;
  const scanRatio = mostRead(scan) / due;
  const indexMs = median(index.map((s) => s.ms));
  const scanMs = median(scan.map((s) => s.ms));
  const correct = index.every((s) => s.returned === due) && scan.every((s) => s.returned === due);
  const why =
    `N = ${n} pending items (${reviews.reviews} reviews × ~${round(perReview, 1)} waiting notifications each): ` +
    `the smallest of ${Math.round(rate)} items/s (measured on a ${CALIBRATION_ITEMS}-item slice) × ${loadBudgetSeconds} s ` +
    `load budget = ${affordable}, ${MAX_N_FOR_SCAN} (DynamoDB Local's Scan is quadratic in table size) and the ` +
    `design's ${DESIGN_REVIEWS} reviews = ${designN} items; at least ${MIN_N}`;
  const metrics: Metric[] = [
    {
      section: '2 sweep',
      name: `Table: N not yet due + D due (${reviews.reviews} reviews)`,
      value: `${n} + ${due}`,
    },
    {
      section: '2 sweep',
      name: 'listDue (due index) items read ÷ items due',
      value: round(indexRatio, 4),
      target: `≤ ${SWEEP_READ_TARGET}`,
      pass: indexRatio <= SWEEP_READ_TARGET,
    },
    { section: '2 sweep', name: 'Scan sweep items read ÷ items due', value: round(scanRatio, 2) },
    {
      section: '2 sweep',
      name: `Scan sweep items read ÷ due at the design's ${DESIGN_REVIEWS} reviews (extrapolated)`,
      value: round((designN + due) / due, 2),
    },
    {
      section: '2 sweep',
      name: 'Both sweeps return exactly the D due items',
      value: correct ? 'yes' : 'no',
      target: 'yes',
      pass: correct,
    },
    {
      section: '2 sweep',
      name: `Wall time listDue ${Math.round(indexMs)} ms ÷ Scan ${Math.round(scanMs)} ms`,
      value: `${round(indexMs / scanMs, 3)}×`,
    },
    {
      section: '2 sweep',
      name: 'Capacity units listDue ÷ Scan',
      value:
        mostCapacity(scan) > 0
          ? `${round(mostCapacity(index), 1)} ÷ ${round(mostCapacity(scan), 1)} RCU`
          : 'not reported by DynamoDB Local',
    },
  ];
  return {
    metrics,
    text: `Sweep: ${why}; loaded in ${Math.round(loadSeconds)} s with BatchWriteItem (${BATCH} items, ${WRITERS} writers).`,
    details: {
      n,
      due,
      reviews: reviews.reviews,
      itemsPerReview: round(perReview, 2),
      designN,
      why,
      loadRateItemsPerSecond: Math.round(rate),
      loadSeconds: round(loadSeconds, 1),
      listLimit: LIST_LIMIT,
      index: index.map(roundSample),
      scan: scan.map(roundSample),
      indexItemsReadPerDue: round(indexRatio, 4),
      scanItemsReadPerDue: round(scanRatio, 2),
      wallTimeRatio: round(indexMs / scanMs, 4),
    },
  };
}

function roundSample(s: ReadSample) {
  return { ...s, ms: round(s.ms, 1), capacityUnits: round(s.capacityUnits, 1) };
}
