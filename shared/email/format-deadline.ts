import type { CalendarDate } from '#shared/domain/calendar.ts';
import type { Language } from '#shared/domain/review.ts';

/**
 * Deadlines in mail always carry their basis (DESIGN §2: "31 May 2027, end of day, Vienna
 * time"), because focal points read them in their own time zone and a bare date is a day off
 * for half the world. Instants (when a reminder was due, when a submission arrived) are shown
 * the same way: local to the time zone of record, with the zone named, never as raw ISO text.
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
 * Where a zone's time is named after: Vienna (translated, and Russian has its adjective), another
 * city (its IANA name), or a zone that is not a city (`UTC`, `Etc/GMT+3`), so no language calls
 * UTC a town.
 */
type Place = { kind: 'vienna' | 'city'; name: string } | { kind: 'zone'; name: string };

/** "Vienna time" as each language says it after a date or a time. */
const TIME_OF: Record<Language, (place: Place) => string> = {
  ar: (p) => `بتوقيت ${p.name}`,
  en: (p) => (p.kind === 'zone' ? p.name : `${p.name} time`),
  es: (p) => (p.kind === 'zone' ? `hora ${p.name}` : `hora de ${p.name}`),
  fr: (p) =>
    p.kind === 'zone'
      ? `heure ${p.name}`
      : `heure ${/^[aeiouyàâéèêëîïôûüœ]/i.test(p.name) ? "d'" : 'de '}${p.name}`,
  // "по венскому времени" is how Russian says it; a city without a known adjective keeps "города".
  ru: (p) =>
    p.kind === 'vienna'
      ? 'по венскому времени'
      : p.kind === 'city'
        ? `по времени города ${p.name}`
        : `по времени ${p.name}`,
  zh: (p) => `${p.name}时间`,
};

/** "End of day, <place> time" per language. */
const END_OF_DAY: Record<Language, (time: string) => string> = {
  ar: (t) => `نهاية اليوم ${t}`,
  en: (t) => `end of day, ${t}`,
  es: (t) => `al final del día, ${t}`,
  fr: (t) => `fin de journée, ${t}`,
  ru: (t) => `до конца дня ${t}`,
  zh: (t) => `${t}当日结束`,
};

/** A local date and time with its zone: zh names the zone first, the way it reads. */
const TIME_AFTER: Record<Language, (local: string, time: string) => string> = {
  ar: (l, t) => `${l} ${t}`,
  en: (l, t) => `${l} ${t}`,
  es: (l, t) => `${l}, ${t}`,
  fr: (l, t) => `${l}, ${t}`,
  ru: (l, t) => `${l} ${t}`,
  zh: (l, t) => `${t}${l}`,
};

/** Between the date and its basis. */
const SEPARATOR: Record<Language, string> = { ar: '، ', en: ', ', es: ', ', fr: ', ', ru: ', ', zh: '，' };

function cached(options: Intl.DateTimeFormatOptions) {
  const formatters = new Map<string, Intl.DateTimeFormat>();
  return (language: Language, timeZone: string): Intl.DateTimeFormat => {
    const key = `${language} ${timeZone}`;
    let formatter = formatters.get(key);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat(LOCALES[language], { ...options, timeZone });
      formatters.set(key, formatter);
    }
    return formatter;
  };
}

const dateFormatter = cached({ day: 'numeric', month: 'long', year: 'numeric' });
const dateTimeFormatter = cached({
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * Formats with Intl, then writes the first of the month the French way: "1er juin", which Intl
 * (CLDR) leaves as "1 juin".
 */
function format(formatter: Intl.DateTimeFormat, language: Language, value: Date): string {
  if (language !== 'fr') return formatter.format(value);
  return formatter
    .formatToParts(value)
    .map((part) => (part.type === 'day' && Number(part.value) === 1 ? '1er' : part.value))
    .join('');
}

function utcMidnight(date: CalendarDate): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a calendar date: ${date}`);
  const [, y, m, d] = match;
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
}

/** The date alone in the language (`31 May 2027`, `1er juin 2027`, `2027年5月31日`), for subjects. */
export function formatDate(date: CalendarDate, language: Language): string {
  // A calendar date has no zone: formatted at UTC midnight in UTC, it never shifts a day.
  return format(dateFormatter(language, 'UTC'), language, utcMidnight(date));
}

/** The place a zone is named after: `Europe/Vienna` → Vienna, `America/New_York` → New York. */
function place(timeZone: string, language: Language): Place {
  if (timeZone === 'Europe/Vienna') return { kind: 'vienna', name: VIENNA[language] };
  const segments = timeZone.split('/');
  const last = (segments.at(-1) ?? timeZone).replaceAll('_', ' ');
  const notACity = segments.length === 1 || segments[0] === 'Etc';
  return { kind: notACity ? 'zone' : 'city', name: last };
}

/**
 * The deadline with its basis: en `31 May 2027, end of day, Vienna time`, fr `31 mai 2027,
 * fin de journée, heure de Vienne`, ru `31 мая 2027 г., до конца дня по венскому времени`.
 */
export function formatDeadline(date: CalendarDate, language: Language, timeZone: string): string {
  const basis = END_OF_DAY[language](TIME_OF[language](place(timeZone, language)));
  return `${formatDate(date, language)}${SEPARATOR[language]}${basis}`;
}

/**
 * An instant as a local date and time in the zone, the zone named: en `8 Dec 2026, 09:00 Vienna
 * time`. Undefined for a value that is not an instant, so a caller can say so instead of
 * printing "Invalid Date".
 */
export function formatDateTime(instant: string, language: Language, timeZone: string): string | undefined {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return undefined;
  const local = format(dateTimeFormatter(language, timeZone), language, at);
  const time = TIME_OF[language](place(timeZone, language));
  return TIME_AFTER[language](local, time);
}

/** An instant's local date in the zone, in the language (`2 March 2027`); undefined if not an instant. */
export function formatLocalDate(instant: string, language: Language, timeZone: string): string | undefined {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return undefined;
  return format(dateFormatter(language, timeZone), language, at);
}
