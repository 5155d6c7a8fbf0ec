import { describe, expect, it } from 'vitest';
import type { Language } from '#shared/domain/review.ts';
import {
  formatDate,
  formatDateTime,
  formatDeadline,
  formatLocalDate,
} from '#shared/email/format-deadline.ts';

const LANGUAGES: Language[] = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
const VIENNA = 'Europe/Vienna';

describe('formatDeadline', () => {
  it('names the date and its basis in English and French exactly', () => {
    expect(formatDeadline('2027-05-31', 'en', VIENNA)).toBe('31 May 2027, end of day, Vienna time');
    expect(formatDeadline('2027-05-31', 'fr', VIENNA)).toBe('31 mai 2027, fin de journée, heure de Vienne');
  });

  it('names the date and its basis in Spanish, Russian, Chinese and Arabic', () => {
    expect(formatDeadline('2027-05-31', 'es', VIENNA)).toBe(
      '31 de mayo de 2027, al final del día, hora de Viena',
    );
    expect(formatDeadline('2027-05-31', 'ru', VIENNA)).toBe(
      '31 мая 2027 г., до конца дня по венскому времени',
    );
    expect(formatDeadline('2027-05-31', 'zh', VIENNA)).toBe('2027年5月31日，维也纳时间当日结束');
    expect(formatDeadline('2027-05-31', 'ar', VIENNA)).toBe('31 مايو 2027، نهاية اليوم بتوقيت فيينا');
  });

  it.each(LANGUAGES)('in %s contains the day number, the year and Vienna in the language', (language) => {
    const cities: Record<Language, string> = {
      ar: 'فيينا',
      en: 'Vienna',
      es: 'Viena',
      fr: 'Vienne',
      ru: 'по венскому времени',
      zh: '维也纳',
    };

    const text = formatDeadline('2031-02-09', language, VIENNA);

    expect(text).toMatch(/(^|\D)9(\D|$)/);
    expect(text).toContain('2031');
    expect(text).toContain(cities[language]);
  });

  it('never shifts the date, whatever the zone of record', () => {
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', VIENNA]) {
      expect(formatDeadline('2027-01-01', 'en', zone)).toMatch(/^1 January 2027, /);
      expect(formatDeadline('2026-12-31', 'en', zone)).toMatch(/^31 December 2026, /);
    }
  });

  it('names other zones after their last segment, with spaces for underscores', () => {
    expect(formatDeadline('2027-05-31', 'en', 'America/New_York')).toBe(
      '31 May 2027, end of day, New York time',
    );
    expect(formatDeadline('2027-05-31', 'es', 'America/Argentina/Buenos_Aires')).toBe(
      '31 de mayo de 2027, al final del día, hora de Buenos Aires',
    );
  });

  it('elides "de" before a vowel in French', () => {
    expect(formatDeadline('2027-05-31', 'fr', 'Europe/Amsterdam')).toBe(
      "31 mai 2027, fin de journée, heure d'Amsterdam",
    );
  });

  it('does not call a zone such as UTC a city', () => {
    expect(formatDeadline('2027-05-31', 'en', 'UTC')).toBe('31 May 2027, end of day, UTC');
    expect(formatDeadline('2027-05-31', 'ru', 'Etc/UTC')).toBe('31 мая 2027 г., до конца дня по времени UTC');
    expect(formatDeadline('2027-05-31', 'ru', 'America/New_York')).toBe(
      '31 мая 2027 г., до конца дня по времени города New York',
    );
  });

  it('writes the first of the month "1er" in French, and only the first', () => {
    expect(formatDeadline('2027-06-01', 'fr', VIENNA)).toBe('1er juin 2027, fin de journée, heure de Vienne');
    expect(formatDate('2027-06-11', 'fr')).toBe('11 juin 2027');
    expect(formatDate('2027-06-21', 'fr')).toBe('21 juin 2027');
    expect(formatDate('2027-06-01', 'es')).toBe('1 de junio de 2027');
  });

  it('refuses a value that is not a calendar date', () => {
    expect(() => formatDate('31/05/2027', 'en')).toThrow(RangeError);
  });
});

describe('formatDateTime', () => {
  it('shows an instant as a local date and time in the zone of record, the zone named', () => {
    // 08:00 UTC is 09:00 in Vienna in winter (CET) and 10:00 in summer (CEST).
    expect(formatDateTime('2026-12-08T08:00:00.000Z', 'en', VIENNA)).toBe('8 Dec 2026, 09:00 Vienna time');
    expect(formatDateTime('2027-06-01T08:00:00Z', 'en', VIENNA)).toBe('1 Jun 2027, 10:00 Vienna time');
    expect(formatDateTime('2026-12-08T08:00:00Z', 'en', 'UTC')).toBe('8 Dec 2026, 08:00 UTC');
    expect(formatDateTime('2026-12-08T08:00:00Z', 'ru', VIENNA)).toBe(
      '8 дек. 2026 г., 09:00 по венскому времени',
    );
    expect(formatDateTime('2026-12-01T08:00:00Z', 'fr', VIENNA)).toBe(
      '1er déc. 2026, 09:00, heure de Vienne',
    );
  });

  it('gives undefined for a value that is not an instant instead of "Invalid Date"', () => {
    expect(formatDateTime('soon', 'en', VIENNA)).toBeUndefined();
    expect(formatLocalDate('', 'en', VIENNA)).toBeUndefined();
  });
});

describe('formatLocalDate', () => {
  it('gives the date of an instant in the zone of record, which may be the next day', () => {
    expect(formatLocalDate('2027-03-01T23:30:00Z', 'en', VIENNA)).toBe('2 March 2027');
    expect(formatLocalDate('2027-03-01T23:30:00Z', 'en', 'UTC')).toBe('1 March 2027');
  });
});
