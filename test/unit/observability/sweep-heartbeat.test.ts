import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '#shared/observability/metrics.ts';
import { sweepDue } from '#shared/use-cases/sweep-due.ts';
import { lambdaContext } from './support.ts';

// The sweep's use case stands in for the tables and queues: what is tested is what the handler counts.
vi.mock('#shared/use-cases/sweep-due.ts', () => ({ sweepDue: vi.fn() }));

const QUEUE = 'https://sqs.eu-central-1.amazonaws.com/123456789012';

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('NOTIFICATIONS_TABLE', 'untoc-notifications');
  vi.stubEnv('FOCAL_POINT_QUEUE_URL', `${QUEUE}/focal-point`);
  vi.stubEnv('ESCALATION_QUEUE_URL', `${QUEUE}/escalation`);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const tick = { time: '2027-03-01T09:01:00Z' };
const countedOf = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map(([name, , value]) => [name, value]);

describe('the sweep handler', () => {
  it('counts SweepRan once per run, even when nothing was due (the heartbeat its alarm watches)', async () => {
    // Arrange
    vi.mocked(sweepDue).mockResolvedValue({ due: 0, queued: 0, failed: 0, superseded: 0, left: 0 });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const counted = vi.spyOn(metrics, 'addMetric');
    const { handler } = await import('#functions/sweep.handler.ts');

    // Act
    await handler(tick, lambdaContext('sweep-1', 'untoc-sweep'));
    await handler(tick, lambdaContext('sweep-2', 'untoc-sweep'));

    // Assert
    expect(countedOf(counted)).toEqual([
      ['SweepRan', 1],
      ['SweepRan', 1],
    ]);
  });

  it('counts what a run queued beside its heartbeat', async () => {
    vi.mocked(sweepDue).mockResolvedValue({ due: 3, queued: 2, failed: 0, superseded: 1, left: 0 });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const counted = vi.spyOn(metrics, 'addMetric');
    const { handler } = await import('#functions/sweep.handler.ts');

    await handler(tick, lambdaContext('sweep-3', 'untoc-sweep'));

    expect(countedOf(counted)).toEqual([
      ['SweepRan', 1],
      ['NotificationsQueued', 2],
      ['NotificationsSuperseded', 1],
    ]);
  });

  it('misses a beat when the run fails, so the alarm sees it', async () => {
    vi.mocked(sweepDue).mockRejectedValue(new Error('table gone'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const counted = vi.spyOn(metrics, 'addMetric');
    const { handler } = await import('#functions/sweep.handler.ts');

    await expect(handler(tick, lambdaContext('sweep-4', 'untoc-sweep'))).rejects.toThrow('table gone');

    expect(countedOf(counted)).toEqual([]);
  });
});
