import type { LocalRuntime } from '#infra/local/local-runtime.ts';
import { addDays, deadlineInstant } from '#shared/domain/calendar.ts';
import { createReview, type LocalApi, localDay, TIME_ZONE } from './local-api.ts';
import { progress } from './quiet-output.ts';
import { type Metric, round, type SectionResult } from './report.ts';

/**
 * Timeliness under the simulated clock (DESIGN §6): the clock is stepped around each planned
 * send time, one schedule tick (a minute) before, on and after it, as the one-minute sweep
 * would see it; every sent notification must have `sentAt ≥ dueAt` and at most one sweep
 * interval of lateness.
 */

export const SWEEP_INTERVAL_MS = 60_000;
/** Deadlines this many days ahead, so every reminder (30 days before at most) is still ahead. */
const DEADLINE_OFFSETS_DAYS = [33, 38, 45];
/** Past the deadline: covers the overdue notice and the first two escalations. */
const HORIZON_DAYS_AFTER_DEADLINE = 16;
const MAX_SEND_TIMES = 24;

interface NotificationView {
  id: string;
  kind: string;
  stageEpoch: number;
  dueAt: string;
  status: string;
  reason?: string;
  sentAt?: string;
}

async function notificationsOf(api: LocalApi, id: string): Promise<NotificationView[]> {
  const res = await api.request<{ items: NotificationView[] }>('GET', `/reviews/${id}/notifications`);
  if (res.status !== 200) throw new Error(`notifications of ${id} answered ${res.status}`);
  const latestEpoch = Math.max(...res.json.items.map((n) => n.stageEpoch));
  return res.json.items.filter((n) => n.stageEpoch === latestEpoch);
}

interface Sample {
  kind: string;
  dueAt: string;
  status: string;
  sentAt?: string;
  latenessMs?: number;
  reason?: string;
}

export async function benchTimeliness(runtime: LocalRuntime, api: LocalApi): Promise<SectionResult> {
  const run = Date.now().toString(36);
  const reviews: { id: string; deadline: string }[] = [];
  for (const [i, offset] of DEADLINE_OFFSETS_DAYS.entries()) {
    const id = await createReview(api, runtime, `t${run}-${i}`);
    const deadline = localDay(runtime, offset);
    const res = await api.request('POST', `/reviews/${id}/transitions`, { to: 'self_assessment', deadline });
    if (res.status !== 200) throw new Error(`transition with deadline answered ${res.status}`);
    reviews.push({ id, deadline });
  }
  await runtime.settle(30_000);

  // The send times to step around: every pending notification due before the horizon.
  const horizon = (deadline: string) =>
    Date.parse(deadlineInstant(addDays(deadline, HORIZON_DAYS_AFTER_DEADLINE), TIME_ZONE));
  const planned = new Set<number>();
  for (const review of reviews) {
    for (const n of await notificationsOf(api, review.id)) {
      const at = Date.parse(n.dueAt);
      if (n.status === 'pending' && at <= horizon(review.deadline)) planned.add(at);
    }
  }
  const sendTimes = [...planned].sort((a, b) => a - b).slice(0, MAX_SEND_TIMES);
  progress(`timeliness: stepping the clock around ${sendTimes.length} send times`);

  let steps = 0;
  const stepStarted = performance.now();
  for (const at of sendTimes) {
    for (const step of [at - SWEEP_INTERVAL_MS, at, at + SWEEP_INTERVAL_MS]) {
      if (step <= runtime.now().getTime()) continue;
      await runtime.advanceTo(new Date(step));
      steps++;
    }
  }
  const stepMs = (performance.now() - stepStarted) / Math.max(1, steps);
  const lastStep = (sendTimes.at(-1) ?? 0) + SWEEP_INTERVAL_MS;

  const samples: Sample[] = [];
  for (const review of reviews) {
    for (const n of await notificationsOf(api, review.id)) {
      if (Date.parse(n.dueAt) > lastStep) continue;
      const latenessMs = n.sentAt ? Date.parse(n.sentAt) - Date.parse(n.dueAt) : undefined;
      samples.push({
        kind: n.kind,
        dueAt: n.dueAt,
        status: n.status,
        ...(n.sentAt ? { sentAt: n.sentAt } : {}),
        ...(latenessMs === undefined ? {} : { latenessMs }),
        ...(n.reason ? { reason: n.reason } : {}),
      });
    }
  }
  const sent = samples.filter((s) => s.latenessMs !== undefined);
  const early = sent.filter((s) => (s.latenessMs ?? 0) < 0).length;
  const maxLateness = Math.max(0, ...sent.map((s) => s.latenessMs ?? 0));
  const missedTick = sent.filter((s) => (s.latenessMs ?? 0) >= SWEEP_INTERVAL_MS).length;
  const notSent = samples.filter((s) => s.latenessMs === undefined);
  const byKind = (kind: string) => sent.filter((s) => s.kind === kind).map((s) => s.latenessMs ?? 0);
  const kinds = [...new Set(sent.map((s) => s.kind))];

  const metrics: Metric[] = [
    {
      section: '5 timeliness',
      name: `Early sends (sentAt < dueAt), of ${sent.length} sent`,
      value: early,
      target: '0',
      pass: early === 0,
    },
    {
      section: '5 timeliness',
      name: 'Worst lateness (sentAt − dueAt, local clock)',
      value: round(maxLateness / 1000, 2),
      unit: 's',
      target: `≤ ${SWEEP_INTERVAL_MS / 1000} s`,
      pass: maxLateness <= SWEEP_INTERVAL_MS,
    },
    {
      section: '5 timeliness',
      name: 'Sends that missed the sweep tick at their dueAt (went a tick later)',
      value: missedTick,
    },
    {
      section: '5 timeliness',
      name: 'Due within the stepped window but not sent',
      value:
        notSent.length === 0
          ? 0
          : notSent.map((s) => `${s.kind} ${s.status} (${s.reason ?? '-'})`).join('; '),
    },
  ];
  return {
    metrics,
    text:
      `Timeliness: ${reviews.length} reviews (deadlines ${reviews.map((r) => r.deadline).join(', ')}), ` +
      `${sendTimes.length} send times, ${steps} clock steps of one sweep tick (${Math.round(stepMs)} ms real time each).\n` +
      `Worst lateness by kind (s): ${kinds.map((k) => `${k} ${round(Math.max(...byKind(k)) / 1000, 2)}`).join(', ')}`,
    details: {
      reviews,
      sendTimes: sendTimes.map((t) => new Date(t).toISOString()),
      steps,
      realMsPerStep: round(stepMs, 1),
      samples,
    },
  };
}
