import { describe, expect, it } from 'vitest';
import {
  CreateReviewBody,
  DeadlineBody,
  FocalPointBody,
  FocalPointParams,
  ListReviewsQuery,
  ReasonBody,
  TransitionBody,
} from '#shared/api/schemas.ts';
import { ISO_3166_ALPHA3 } from '#shared/domain/countries.ts';

const newReview = {
  stateUnderReview: 'GRC',
  cluster: 1,
  instruments: ['UNTOC'],
  reviewingStates: [
    { state: 'AUT', instruments: ['UNTOC'] },
    { state: 'BRA', instruments: ['UNTOC'] },
  ],
  language: 'en',
  launchedAt: '2027-01-11',
};
const focalPoint = { name: 'Anna Huber', email: 'anna@aut.example', language: 'en' };

/** The paths of the issues a schema reports, or `ok`. */
function issuesOf(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  return result.success ? 'ok' : (result.error?.issues ?? []).map((i) => i.path.map(String).join('.'));
}

describe('dates', () => {
  it('accepts 2000-01-01 … 2100-12-31 and refuses anything outside, given anywhere', () => {
    for (const date of ['2000-01-01', '2027-02-28', '2100-12-31']) {
      expect(issuesOf(CreateReviewBody, { ...newReview, launchedAt: date })).toBe('ok');
      expect(issuesOf(DeadlineBody, { deadline: date, reason: 'x' })).toBe('ok');
      expect(issuesOf(TransitionBody, { to: 'dialogue', deadline: date })).toBe('ok');
    }
    for (const date of ['1999-12-31', '2101-01-01', '0000-01-01', '9999-12-31', '+010000-01-14']) {
      expect(issuesOf(CreateReviewBody, { ...newReview, launchedAt: date })).toContain('launchedAt');
      expect(issuesOf(DeadlineBody, { deadline: date, reason: 'x' })).toContain('deadline');
      expect(issuesOf(TransitionBody, { to: 'dialogue', deadline: date })).toContain('deadline');
    }
  });
});

describe('State codes', () => {
  it('holds the 249 officially assigned ISO 3166-1 alpha-3 codes', () => {
    expect(ISO_3166_ALPHA3.size).toBe(249);
    for (const code of ISO_3166_ALPHA3) expect(code).toMatch(/^[A-Z]{3}$/);
    for (const code of ['GRC', 'AUT', 'PSE', 'VAT', 'SSD', 'KOR', 'ALA', 'BES']) {
      expect(ISO_3166_ALPHA3.has(code)).toBe(true);
    }
  });

  it('refuses codes that name no State wherever a State is given', () => {
    for (const code of ['ZZZ', 'XXX', 'AAA', 'XKX', 'grc', 'GR', 'EUR']) {
      expect(issuesOf(CreateReviewBody, { ...newReview, stateUnderReview: code })).toEqual([
        'stateUnderReview',
      ]);
      const reviewing = [{ state: code, instruments: ['UNTOC'] }, newReview.reviewingStates[1]];
      expect(issuesOf(CreateReviewBody, { ...newReview, reviewingStates: reviewing })).toEqual([
        'reviewingStates.0.state',
      ]);
      expect(issuesOf(CreateReviewBody, { ...newReview, focalPoints: { [code]: focalPoint } })).toEqual([
        'focalPoints',
      ]);
      expect(issuesOf(FocalPointParams, { id: 'r1', state: code })).toEqual(['state']);
      expect(issuesOf(ListReviewsQuery, { state: code })).toEqual(['state']);
    }
  });

  it('takes focal points for some participants only, not all 249', () => {
    expect(issuesOf(CreateReviewBody, { ...newReview, focalPoints: { AUT: focalPoint } })).toBe('ok');
  });
});

describe('names and reasons', () => {
  const refusedEverywhere = [
    '',
    '   ',
    '\t\n',
    'a\u0000b',
    'a\u0007b',
    'a\u001bb',
    'a\u007fb',
    'a\u0085b',
    'a\u009fb',
    'a\u202ab',
    'a\u202eb',
    'a\u2066b',
    'a\u2069b',
  ];

  it('refuses blank names and names with control or bidi characters', () => {
    for (const name of [...refusedEverywhere, 'a\nb', 'a\tb', 'a\r\nb']) {
      expect(issuesOf(FocalPointBody, { ...focalPoint, name }), JSON.stringify(name)).toContain('name');
    }
  });

  it('refuses blank reasons and reasons with control or bidi characters, but keeps line breaks', () => {
    for (const reason of refusedEverywhere) {
      expect(issuesOf(ReasonBody, { reason }), JSON.stringify(reason)).toEqual(['reason']);
      expect(issuesOf(DeadlineBody, { deadline: '2027-05-31', reason }), JSON.stringify(reason)).toEqual([
        'reason',
      ]);
      expect(issuesOf(TransitionBody, { to: 'dialogue', reason }), JSON.stringify(reason)).toEqual([
        'reason',
      ]);
    }
    expect(issuesOf(ReasonBody, { reason: 'elections\n\tsee the note\r\nof 3 May' })).toBe('ok');
  });

  it('accepts names in any script, with the marks they need', () => {
    for (const name of [
      'Anna Huber',
      'Łukasz Żółć',
      'محمد عبد الله',
      '王小明',
      'Zoë O’Brien-Núñez',
      'אבי\u200fכהן',
    ]) {
      expect(issuesOf(FocalPointBody, { ...focalPoint, name })).toBe('ok');
    }
  });

  it('trims a name before storing it', () => {
    expect(FocalPointBody.parse({ ...focalPoint, name: '  Anna Huber ' }).name).toBe('Anna Huber');
  });
});
