import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportReviewRow } from '#shared/api/schemas.ts';
import { HttpError } from '#shared/http/http-error.ts';
import { csvRecords, readImportCsv } from '#shared/http/import-csv.ts';

const HEADER =
  'reference,stateUnderReview,cluster,group,instruments,reviewingStates,language,launchedAt,stage,stageEnteredAt,deadline,submissions,focalPoints';

describe('csvRecords', () => {
  it('reads RFC 4180: quoted commas, quotes, line breaks, CRLF, a byte-order mark, blank lines', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\n\n1,,3\n';
    expect(csvRecords(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
    ]);
  });

  it('gives back any table written as RFC 4180', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r\n', ' ', '|', ';') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;
          const text = rows.map((r) => r.map(quote).join(',')).join('\r\n');
          expect(csvRecords(text)).toEqual(rows);
        },
      ),
    );
  });

  it('refuses a quote that is never closed', () => {
    expect(() => csvRecords('a,"b\n1,2')).toThrow(HttpError);
  });
});

describe('readImportCsv', () => {
  it("reads the documented layout into rows the JSON row's schema accepts", () => {
    const text = [
      HEADER,
      'GRC-C1-2025,GRC,1,2,UNTOC+TIP,AUT:UNTOC+TIP BRA:UNTOC+TIP,en,2025-11-03,desk_review,2026-06-01,,AUT@2026-09-01T10:00:00Z,"GRC|Eleni Papadopoulou|fp@grc.example|en; AUT|Anna Huber|fp@aut.example|fr"',
      'MEX-C2-2024,MEX,2,,UNTOC,DEU:UNTOC SEN:UNTOC,es,2024-03-01,completed,2025-10-01,none,,',
    ].join('\n');

    const { reviews } = readImportCsv(text);

    expect(reviews[0]).toEqual({
      reference: 'GRC-C1-2025',
      stateUnderReview: 'GRC',
      cluster: 1,
      group: 2,
      instruments: ['UNTOC', 'TIP'],
      reviewingStates: [
        { state: 'AUT', instruments: ['UNTOC', 'TIP'] },
        { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
      ],
      language: 'en',
      launchedAt: '2025-11-03',
      stage: 'desk_review',
      stageEnteredAt: '2026-06-01',
      submissions: [{ state: 'AUT', receivedAt: '2026-09-01T10:00:00Z' }],
      focalPoints: {
        GRC: { name: 'Eleni Papadopoulou', email: 'fp@grc.example', language: 'en' },
        AUT: { name: 'Anna Huber', email: 'fp@aut.example', language: 'fr' },
      },
    });
    expect(reviews[1]).toMatchObject({ deadline: null, stage: 'completed' });
    expect(reviews[1]).not.toHaveProperty('group');
    for (const row of reviews) expect(ImportReviewRow.safeParse(row).success).toBe(true);
  });

  it('passes a cell it cannot read on, so the row is refused with the column as the path', () => {
    const { reviews } = readImportCsv(
      `${HEADER}\nX,GRC,one,,UNTOC,AUT BRA:UNTOC,en,2025-11-03,desk_review,2026-06-01,,,`,
    );
    const parsed = ImportReviewRow.safeParse(reviews[0]);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['cluster', 'reviewingStates.0.instruments']),
    );
  });

  it.each([
    ['', 'no header row'],
    ['stateUnderReview,colour\n', 'unknown column'],
    [`${HEADER},reference\n`, 'reference twice'],
    ['reference,stateUnderReview\n', 'column cluster is missing'],
    [`${HEADER}\n${'x,'.repeat(14)}x\n`, 'cells under'],
  ])('refuses the whole text when it cannot be read: %j', (text, message) => {
    try {
      readImportCsv(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).statusCode).toBe(400);
      expect(JSON.stringify((error as HttpError).issues)).toContain(message);
    }
  });
});
