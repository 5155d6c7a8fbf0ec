import { type MailboxMessage, readMailbox } from '#infra/local/local-mailbox.ts';
import type { LocalRuntime } from '#infra/local/local-runtime.ts';
import { groupCounts, type HttpCallCounter, total } from './call-counters.ts';
import { type CpuSource, cpuWindow, processGroupCpuMs, thisProcessCpuMs } from './cpu-usage.ts';
import { addressesFor, createReview, type LocalApi, STATES } from './local-api.ts';
import { progress } from './quiet-output.ts';
import { type Metric, round, type SectionResult } from './report.ts';
import { mapLimit, sleep } from './stats.ts';

/**
 * The local pipeline (DESIGN §6): R reviews move launched → self_assessment at once, in waves of
 * concurrent API calls; the window closes when every stage notice of every transition has been
 * sent to the mailbox. API → Reviews stream → planner → mail queue → mailer → SES. Judged: the
 * handlers' SDK calls per transition (≤ 12), 0 lost, 0 duplicate; reported beside them: the CPU
 * each component spent per transition, and transitions per second (on two shared cores the
 * emulators take most of the CPU, so throughput says more about the machine than the code).
 */

/** DESIGN §6: handler SDK calls per transition, its stage notices delivered. */
export const CALLS_PER_TRANSITION_TARGET = 12;
const CREATE_CONCURRENCY = 8;
const DELIVERY_TIMEOUT_MS = 120_000;
const SES_KEY = 'ses request';
/** The planner hands stage notices to the mail queue with one batch send per review. */
const QUEUE_SEND_KEY = 'sqs AmazonSQS.SendMessageBatch';

export interface PipelineOptions {
  reviews: number;
  /** Transitions in flight at once (one wave). */
  wave: number;
}

/** Polls `done` every 20 ms (in-process counters, so polling costs nothing) until true or timeout. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Waits until local mode has nothing left to do (streams, queues, SES feedback drained). */
async function settleFully(runtime: LocalRuntime, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await runtime.settle(10_000))) {
    if (Date.now() > deadline) throw new Error('local mode did not settle');
  }
}

/**
 * What spends CPU in the pipeline: this process (the handlers, their SDK clients and local mode's
 * runtime that stands in for Lambda, API Gateway and the SES front) and each emulator's process group.
 */
function cpuSources(runtime: LocalRuntime): CpuSource[] {
  const emulator = (label: string, service: 'dynamodb' | 'sqs' | 'ses'): CpuSource => ({
    label,
    read: () => {
      const pgid = runtime.emulators.processGroup(service);
      return pgid === undefined ? undefined : processGroupCpuMs(pgid);
    },
  });
  return [
    { label: 'this process (handlers, SDK, local runtime)', read: thisProcessCpuMs },
    emulator('DynamoDB Local (JVM)', 'dynamodb'),
    emulator('fauxqs (SQS)', 'sqs'),
    emulator('aws-ses-v2-local (SES)', 'ses'),
  ];
}

/** `dynamodb DynamoDB_20120810.GetItem` → `dynamodb GetItem`. */
function shortKey(key: string): string {
  return key.replace(/ \S*\./, ' ');
}

interface MailCheck {
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  unexpected: number;
}

/**
 * Each transitioned review's three focal points must each get exactly one new message.
 * Addresses are unique per review, so recipient + subject identifies review and notice.
 */
function checkMail(fresh: MailboxMessage[], tags: string[]): MailCheck {
  const byRecipientAndSubject = new Map<string, number>();
  const byRecipient = new Map<string, number>();
  for (const message of fresh) {
    for (const to of message.to) {
      byRecipient.set(to, (byRecipient.get(to) ?? 0) + 1);
      const key = `${to}\n${message.subject}`;
      byRecipientAndSubject.set(key, (byRecipientAndSubject.get(key) ?? 0) + 1);
    }
  }
  const expectedAddresses = tags.flatMap((tag) => STATES.map((state) => addressesFor(tag)[state]));
  const expected = new Set(expectedAddresses);
  let duplicates = 0;
  for (const count of byRecipientAndSubject.values()) duplicates += Math.max(0, count - 1);
  return {
    expected: expected.size,
    received: expectedAddresses.filter((a) => (byRecipient.get(a) ?? 0) > 0).length,
    lost: expectedAddresses.filter((a) => (byRecipient.get(a) ?? 0) === 0).length,
    duplicates,
    unexpected: [...byRecipient.keys()].filter((a) => !expected.has(a)).length,
  };
}

export async function benchPipeline(
  runtime: LocalRuntime,
  api: LocalApi,
  counter: HttpCallCounter,
  options: PipelineOptions,
): Promise<SectionResult> {
  const run = Date.now().toString(36);
  const tags = Array.from({ length: options.reviews }, (_, i) => `p${run}-${i}`);

  // Arrange: the reviews and their launch notices, all delivered before the clock starts.
  const beforeCreate = counter.snapshot();
  const ids = await mapLimit(tags, CREATE_CONCURRENCY, (tag) => createReview(api, runtime, tag));
  await settleFully(runtime, 120_000);
  const sesPerReview = counter.finishedSince(beforeCreate, SES_KEY) / ids.length;
  progress(`pipeline: ${ids.length} reviews created, ${sesPerReview} SES sends each for the launch notice`);
  const seen = new Set((await readMailbox(runtime.emulators.endpoints.ses)).map((m) => m.id));

  // Act: transitions in waves; end to end means until the last stage notice left for SES.
  const cpu = cpuWindow(cpuSources(runtime));
  const before = counter.snapshot();
  const started = performance.now();
  const statuses: number[] = [];
  for (let i = 0; i < ids.length; i += options.wave) {
    const wave = ids.slice(i, i + options.wave);
    const answers = await Promise.all(
      wave.map((id) => api.request('POST', `/reviews/${id}/transitions`, { to: 'self_assessment' })),
    );
    statuses.push(...answers.map((a) => a.status));
  }
  const apiMs = performance.now() - started;
  const moved = statuses.filter((s) => s === 200).length;
  const expectedSends = Math.round(moved * sesPerReview);
  const delivered = await waitFor(
    () => counter.finishedSince(before, SES_KEY) >= expectedSends,
    DELIVERY_TIMEOUT_MS,
  );
  const endToEndMs = performance.now() - started;
  const cpuMs = cpu.stop();
  // Where the time went: the planner's last queue send, the mailer's last SES send.
  const plannerDoneMs = (counter.lastFinished(QUEUE_SEND_KEY) ?? started) - started;
  const mailerDoneMs = (counter.lastFinished(SES_KEY) ?? started) - started;
  // Anything still in flight (a duplicate, say) lands before the mailbox is read.
  await settleFully(runtime, 60_000);
  const calls = counter.startedSince(before);

  // Assert: what reached the mailbox.
  const fresh = (await readMailbox(runtime.emulators.endpoints.ses)).filter((m) => !seen.has(m.id));
  const movedTags = tags.filter((_, i) => statuses[i] === 200);
  const mail = checkMail(fresh, movedTags);
  const throughput = moved / (endToEndMs / 1000);
  const appCalls = total(calls.app);
  const perTransition = (n: number) => round(n / Math.max(1, moved), 2);
  const callSummary = [...calls.app].map(([key, n]) => `${shortKey(key)} ×${n}`).join(', ');
  const callsPerTransition = perTransition(appCalls);
  const cpuPerTransition = cpuMs.map(({ label, ms }) => ({
    label,
    ms: ms === undefined ? undefined : perTransition(ms),
  }));
  const metrics: Metric[] = [
    {
      section: '4 pipeline',
      name: `Handler SDK calls per transition, its stage notices delivered (${moved} transitions)`,
      value: callsPerTransition,
      target: `≤ ${CALLS_PER_TRANSITION_TARGET}`,
      pass: delivered && moved > 0 && callsPerTransition <= CALLS_PER_TRANSITION_TARGET,
    },
    ...cpuPerTransition.map(
      ({ label, ms }): Metric => ({
        section: '4 pipeline',
        name: `CPU per transition: ${label}`,
        value: ms ?? 'unknown',
        ...(ms === undefined ? {} : { unit: 'ms' }),
      }),
    ),
    {
      section: '4 pipeline',
      name: `Transitions/s end to end (${moved} of ${ids.length}, waves of ${options.wave}, ${round(endToEndMs / 1000, 2)} s)`,
      value: round(throughput, 1),
      unit: '/s',
    },
    {
      section: '4 pipeline',
      name: 'Transitions/s at the API alone (responses, no mail)',
      value: round(moved / (apiMs / 1000), 1),
      unit: '/s',
    },
    {
      section: '4 pipeline',
      name: 'Transitions refused or failed (HTTP ≠ 200)',
      value: statuses.length - moved,
      target: '0',
      pass: statuses.length === moved,
    },
    {
      section: '4 pipeline',
      name: `Lost e-mails (expected ${mail.expected}, received ${mail.received})`,
      value: mail.lost,
      target: '0',
      pass: mail.lost === 0,
    },
    {
      section: '4 pipeline',
      name: 'Duplicate e-mails (same recipient, subject, review)',
      value: mail.duplicates,
      target: '0',
      pass: mail.duplicates === 0,
    },
  ];
  return {
    metrics,
    text:
      `Pipeline: ${ids.length} reviews, transitions in waves of ${options.wave}. After the first request: ` +
      `API answered all in ${Math.round(apiMs)} ms, planner queued the last notice at ${Math.round(plannerDoneMs)} ms, ` +
      `mailer sent the last e-mail at ${Math.round(mailerDoneMs)} ms.\n` +
      `SDK calls by the handlers during the transitions (${appCalls}, ${callsPerTransition} per transition): ${callSummary}\n` +
      `Per transition: ${[...calls.app].map(([key, n]) => `${shortKey(key)} ×${perTransition(n)}`).join(', ')}\n` +
      `CPU per transition: ${cpuPerTransition.map(({ label, ms }) => `${label} ${ms ?? '?'} ms`).join(', ')}\n` +
      `Calls by local mode's event source mappings in the same window (Lambda's work on AWS, not counted above): ${total(calls.pollers)}`,
    details: {
      reviews: ids.length,
      wave: options.wave,
      transitionsOk: moved,
      statuses: groupCounts(statuses.map(String)),
      apiMs: round(apiMs, 1),
      plannerLastQueueSendMs: round(plannerDoneMs, 1),
      mailerLastSesSendMs: round(mailerDoneMs, 1),
      endToEndMs: round(endToEndMs, 1),
      allDelivered: delivered,
      transitionsPerSecond: round(throughput, 2),
      sesSendsPerTransition: sesPerReview,
      mail,
      sdkCallsByHandlers: Object.fromEntries(calls.app),
      sdkCallsByHandlersPerTransition: round(appCalls / Math.max(1, moved), 3),
      sdkCallsByHandlersPerTransitionByOperation: Object.fromEntries(
        [...calls.app].map(([key, n]) => [key, round(n / Math.max(1, moved), 3)]),
      ),
      cpuMsPerTransition: Object.fromEntries(cpuPerTransition.map(({ label, ms }) => [label, ms ?? null])),
      cpuMsInWindow: Object.fromEntries(
        cpuMs.map(({ label, ms }) => [label, ms === undefined ? null : round(ms, 1)]),
      ),
      sdkCallsByEventSourceMappings: Object.fromEntries(calls.pollers),
    },
  };
}
