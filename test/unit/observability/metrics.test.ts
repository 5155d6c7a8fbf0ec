import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countEvent, metrics } from '#shared/observability/metrics.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('countEvent', () => {
  it('counts a named business event, as often as it happened', () => {
    const added = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
    countEvent('SweepRan');
    countEvent('AddressMarkedUndeliverable', 2);
    expect(added.mock.calls).toEqual([
      ['SweepRan', MetricUnit.Count, 1],
      ['AddressMarkedUndeliverable', MetricUnit.Count, 2],
    ]);
  });

  it('counts nothing when nothing happened', () => {
    const added = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
    countEvent('UndeliverableNoticeQueued', 0);
    expect(added).not.toHaveBeenCalled();
  });

  it('takes only the declared names (a typo does not compile)', () => {
    const added = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
    // @ts-expect-error NotAMetric is no MetricName: `npm run typecheck` fails should this line compile.
    countEvent('NotAMetric');
    expect(added).toHaveBeenCalledTimes(1);
  });
});

describe('metrics', () => {
  it('carry the service dimension the alarms match on', () => {
    countEvent('InternalErrorAnswered');
    const emf = metrics.serializeMetrics();
    metrics.clearMetrics();
    expect(emf).toMatchObject({
      service: 'untoc-review-tracker',
      _aws: {
        CloudWatchMetrics: [
          { Dimensions: [['service']], Metrics: [{ Name: 'InternalErrorAnswered', Unit: 'Count' }] },
        ],
      },
      InternalErrorAnswered: 1,
    });
  });
});
