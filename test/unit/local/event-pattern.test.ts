import { describe, expect, it } from 'vitest';
import { matchesPattern, passesFilters } from '#infra/local/event-pattern.ts';

const record = {
  eventName: 'MODIFY',
  dynamodb: { Keys: { pk: { S: 'REVIEW#1' }, sk: { S: 'REVIEW' } }, SizeBytes: 120 },
};

describe('event source mapping filters', () => {
  it('passes review items and drops history events, as the planner mapping declares', () => {
    const filters = {
      Filters: [{ Pattern: JSON.stringify({ dynamodb: { Keys: { sk: { S: ['REVIEW'] } } } }) }],
    };
    expect(passesFilters(filters, record)).toBe(true);
    expect(passesFilters(filters, { ...record, dynamodb: { Keys: { sk: { S: 'EVENT#00000002' } } } })).toBe(
      false,
    );
  });

  it('passes everything without filters, and any one filter is enough', () => {
    expect(passesFilters(undefined, record)).toBe(true);
    const filters = {
      Filters: [{ Pattern: '{"eventName":["INSERT"]}' }, { Pattern: '{"eventName":["MODIFY"]}' }],
    };
    expect(passesFilters(filters, record)).toBe(true);
  });

  it('supports prefix, exists, anything-but and numeric rules', () => {
    expect(matchesPattern({ dynamodb: { Keys: { pk: { S: [{ prefix: 'REVIEW#' }] } } } }, record)).toBe(true);
    expect(matchesPattern({ dynamodb: { NewImage: [{ exists: false }] } }, record)).toBe(true);
    expect(matchesPattern({ eventName: [{ 'anything-but': ['REMOVE'] }] }, record)).toBe(true);
    expect(matchesPattern({ eventName: [{ 'anything-but': ['MODIFY'] }] }, record)).toBe(false);
    expect(matchesPattern({ dynamodb: { SizeBytes: [{ numeric: ['>', 100, '<=', 200] }] } }, record)).toBe(
      true,
    );
    expect(matchesPattern({ dynamodb: { SizeBytes: [{ numeric: ['>', 150] }] } }, record)).toBe(false);
  });
});
