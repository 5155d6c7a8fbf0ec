import { describe, expect, it } from 'vitest';
import { digestSubject, type OfficerDigest, renderDigestMail } from '#shared/email/digest-template.ts';

const ref = (n: number, stage = 'self_assessment', stageName = 'Self-assessment') => ({
  reviewId: `rev-${n}`,
  reference: `GRC-C1-202${n}`,
  link: `/reviews/rev-${n}`,
  stage,
  stageName,
});

/** A digest with something in every section, as of Monday 11 January 2027, 08:00 in Vienna. */
function aDigest(overrides: Partial<OfficerDigest> = {}): OfficerDigest {
  return {
    officer: 'officer@un.example',
    asOf: '2027-01-11T07:00:00Z',
    today: '2027-01-11',
    week: '2027-W02',
    timeZone: 'Europe/Vienna',
    openReviews: 7,
    nothingToReport: false,
    overdue: [{ ...ref(1), deadline: '2026-12-31', daysOverdue: 11, owing: ['GRC'] }],
    dueSoon: [
      { ...ref(2, 'desk_review', 'Desk review'), deadline: '2027-01-12', daysLeft: 1, owing: ['AUT', 'BRA'] },
    ],
    awaitingMove: [
      {
        ...ref(3),
        deadline: '2027-02-01',
        submissions: 1,
        lastReceivedOn: '2027-01-07',
        nextStages: [{ stage: 'desk_review', stageName: 'Desk review' }],
      },
    ],
    paused: [{ ...ref(4), since: '2027-01-04', days: 7, reason: 'national elections' }],
    undeliverable: [
      {
        ...ref(5),
        state: 'GRC',
        role: 'focal_point',
        name: 'Eleni <b>Papadopoulou</b>',
        address: 'e***@grc.example',
      },
    ],
    withoutFocalPoint: [{ ...ref(6), states: ['AUT', 'BRA'] }],
    inactive: [{ ...ref(7), lastActivityOn: '2026-10-01', days: 102 }],
    ...overrides,
  };
}

describe('digest mail', () => {
  it('names the date and counts each section in the subject', () => {
    expect(digestSubject(aDigest())).toBe(
      'Weekly digest, 11 January 2027: 1 overdue, 1 due within 14 days, 1 awaiting your move, 1 paused, ' +
        '1 undeliverable address, 1 without a focal point, 1 inactive',
    );
    expect(
      digestSubject(aDigest({ overdue: [], dueSoon: [], awaitingMove: [], paused: [], inactive: [] })),
    ).toBe('Weekly digest, 11 January 2027: 1 undeliverable address, 1 without a focal point');
  });

  it('lists every section with its entries, each starting with the reference and the API path', () => {
    const { text } = renderDigestMail(aDigest());

    const sections = text.split('\n\n').filter((block) => block.includes('\n- '));
    expect(sections.map((block) => block.split('\n')[0])).toEqual([
      'Overdue (1)',
      'Due within 14 days (1)',
      'All submissions in, awaiting your move (1)',
      'Paused (1)',
      'Addresses undeliverable (1)',
      'Participants without a focal point (1)',
      'No activity for 90 days (1)',
    ]);
    expect(text).toContain(
      '- GRC-C1-2021 (/reviews/rev-1): Self-assessment, 11 days overdue (deadline 31 December 2026, end of day, Vienna time); still owing: Greece (GRC)',
    );
    expect(text).toContain('- GRC-C1-2022 (/reviews/rev-2): Desk review, due in 1 day');
    expect(text).toContain('still owing: Austria (AUT), Brazil (BRA)');
    expect(text).toContain('the submission is in, the last on 7 January 2027; it may move to Desk review');
    expect(text).toContain('paused since 4 January 2027 (7 days): national elections');
    expect(text).toContain(
      '- GRC-C1-2025 (/reviews/rev-5): Greece, focal point Eleni <b>Papadopoulou</b> (e***@grc.example)',
    );
    expect(text).toContain('no focal point for Austria, Brazil');
    expect(text).toContain('last change on 1 October 2026 (102 days ago)');
  });

  it('shows local dates and times in Vienna, never raw instants', () => {
    const { text, html } = renderDigestMail(aDigest());

    expect(text).toContain('as of 11 Jan 2027, 08:00 Vienna time');
    for (const body of [text, html]) expect(body).not.toMatch(/\d{4}-\d\d-\d\dT|\b2027-01-11\b/);
  });

  it('leaves empty sections out', () => {
    const { text, html } = renderDigestMail(aDigest({ dueSoon: [], paused: [] }));

    expect(text).not.toContain('Due within 14 days');
    expect(html).not.toContain('Paused (');
    expect(text).toContain('Overdue (1)');
  });

  it('escapes what people typed in the HTML and keeps the same content as the text', () => {
    const { text, html } = renderDigestMail(aDigest());

    expect(html).toContain('Eleni &lt;b&gt;Papadopoulou&lt;/b&gt;');
    expect(html).not.toContain('<b>Papadopoulou');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en" dir="ltr">/);
    for (const heading of text
      .split('\n\n')
      .filter((b) => b.includes('\n- '))
      .map((b) => b.split('\n')[0] ?? ''))
      expect(html).toContain(`<h2 style="font-size:17px;margin:24px 0 8px">${heading}</h2>`);
    expect(html).toContain(
      '<code style="font-weight:normal;font-size:12px;color:#555555">/reviews/rev-3</code>',
    );
  });

  it('keeps a reason on one line: control and bidi characters cannot reorder or break it', () => {
    const digest = aDigest({
      paused: [{ ...ref(4), since: '2027-01-04', days: 7, reason: 'one\ntwo\u202e three' }],
    });

    expect(renderDigestMail(digest).text).toContain('paused since 4 January 2027 (7 days): one two three');
  });
});
