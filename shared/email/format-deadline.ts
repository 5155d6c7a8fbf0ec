import type { CalendarDate } from '#shared/domain/calendar.ts';
import type { Language } from '#shared/domain/review.ts';

/**
 * Deadlines in mail always carry their basis (DESIGN §2: "31 May 2027, end of day, Vienna
 * time"), because focal points read them in their own time zone and a bare date is a day off
 * for half the world.
 */

/** Intl locales: UN English writes day-month-year; Arabic keeps Western digits whatever the ICU default. */
const LOCALES: Record<Language, string> = {
  ar: 'ar-u-nu-latn',
  en: 'en-GB',
  es: 'es',
  fr: 'fr',
  ru: 'ru',
  zh: 'zh',
};

/** Vienna, the default zone of record, by name; other zones fall back to their IANA segment. */
const VIENNA: Record<Language, string> = {
  ar: 'فيينا',
  en: 'Vienna',
  es: 'Viena',
  fr: 'Vienne',
  ru: 'Вена',
  zh: '维也纳',
};

/**
 * "End of day, <place> time" per language. `city` is a place name; a zone that is not a city
 * (`UTC`, `Etc/GMT+3`) gets the `zone` form so no language calls UTC a town.
 */
const BASIS: Record<Language, { city: (name: string) => string; zone: (name: string) => string }> = {
  ar: { city: (c) => `نهاية اليوم بتوقيت ${c}`, zone: (z) => `نهاية اليوم بتوقيت ${z}` },
  en: { city: (c) => `end of day, ${c} time`, zone: (z) => `end of day, ${z}` },
  es: { city: (c) => `al final del día, hora de ${c}`, zone: (z) => `al final del día, hora ${z}` },
  fr: {
    city: (c) => `fin de journée, heure ${/^[aeiouyàâéèêëîïôûüœ]/i.test(c) ? "d'" : 'de '}${c}`,
    zone: (z) => `fin de journée, heure ${z}`,
  },
  ru: { city: (c) => `конец дня по времени города ${c}`, zone: (z) => `конец дня по времени ${z}` },
  zh: { city: (c) => `${c}时间当日结束`, zone: (z) => `${z}时间当日结束` },
};

/** Between the date and its basis. */
const SEPARATOR: Record<Language, string> = { ar: '، ', en: ', ', es: ', ', fr: ', ', ru: ', ', zh: '，' };

const formatters = new Map<Language, Intl.DateTimeFormat>();

function dateFormatter(language: Language): Intl.DateTimeFormat {
  let formatter = formatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALES[language], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    formatters.set(language, formatter);
  }
  return formatter;
}

function utcMidnight(date: CalendarDate): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a calendar date: ${date}`);
  const [, y, m, d] = match;
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
}

/** The date alone in the language (`31 May 2027`, `2027年5月31日`), for subjects. */
export function formatDate(date: CalendarDate, language: Language): string {
  return dateFormatter(language).format(utcMidnight(date));
}

/** The place a zone is named after: `Europe/Vienna` → Vienna, `America/New_York` → New York. */
function place(timeZone: string, language: Language): { kind: 'city' | 'zone'; name: string } {
  if (timeZone === 'Europe/Vienna') return { kind: 'city', name: VIENNA[language] };
  const segments = timeZone.split('/');
  const last = (segments.at(-1) ?? timeZone).replaceAll('_', ' ');
  const notACity = segments.length === 1 || segments[0] === 'Etc';
  return { kind: notACity ? 'zone' : 'city', name: last };
}

/**
 * The deadline with its basis: en `31 May 2027, end of day, Vienna time`, fr `31 mai 2027,
 * fin de journée, heure de Vienne`.
 */
export function formatDeadline(date: CalendarDate, language: Language, timeZone: string): string {
  const where = place(timeZone, language);
  const basis = BASIS[language][where.kind](where.name);
  return `${formatDate(date, language)}${SEPARATOR[language]}${basis}`;
}
