import { describe, expect, it } from 'vitest';
import { alpha2Of, ISO_3166_ALPHA3, stateName } from '#shared/domain/countries.ts';
import type { Language } from '#shared/domain/review.ts';
import { stateMentions } from '#shared/email/state-names.ts';

const LANGUAGES: Language[] = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];

describe('alpha2Of', () => {
  it('maps every alpha-3 code of the list to a distinct alpha-2 code that ICU can name', () => {
    const alpha2s = new Set<string>();
    for (const code of ISO_3166_ALPHA3) {
      const alpha2 = alpha2Of(code);

      expect(alpha2, code).toMatch(/^[A-Z]{2}$/);
      for (const language of LANGUAGES) {
        const name = new Intl.DisplayNames(language, { type: 'region', fallback: 'none' }).of(alpha2 ?? '');
        expect(name, `${code} in ${language}`).toBeDefined();
        expect(name, `${code} in ${language}`).not.toBe(alpha2);
      }
      alpha2s.add(alpha2 ?? '');
    }

    expect(alpha2s.size).toBe(ISO_3166_ALPHA3.size);
  });

  it('gets the codes right whose two letters are not the first two of the three', () => {
    const tricky: Record<string, string> = {
      AUT: 'AT',
      CHE: 'CH',
      CHN: 'CN',
      DEU: 'DE',
      ESP: 'ES',
      GRC: 'GR',
      IRL: 'IE',
      KOR: 'KR',
      PRK: 'KP',
      SRB: 'RS',
      SVN: 'SI',
      UKR: 'UA',
      ZAF: 'ZA',
    };
    for (const [alpha3, alpha2] of Object.entries(tricky)) expect(alpha2Of(alpha3), alpha3).toBe(alpha2);
    expect(alpha2Of('XYZ')).toBeUndefined();
  });
});

describe('stateName', () => {
  it('names a State in each UN language from CLDR', () => {
    expect(LANGUAGES.map((l) => stateName('GRC', l))).toEqual([
      'اليونان',
      'Greece',
      'Grecia',
      'Grèce',
      'Греция',
      '希腊',
    ]);
  });

  it('uses the UN name where the everyday one would read as a slight', () => {
    expect(stateName('PSE', 'en')).toBe('State of Palestine');
    expect(stateName('PRK', 'fr')).toBe('République populaire démocratique de Corée');
    expect(stateName('VAT', 'es')).toBe('Santa Sede');
    expect(stateName('COD', 'zh')).toBe('刚果民主共和国');
    expect(stateName('MMR', 'en')).toBe('Myanmar');
    // A language the override leaves out keeps CLDR's name.
    expect(stateName('KOR', 'ru')).toBe('Республика Корея');
  });

  it('writes out the abbreviations of CLDR English and Russian', () => {
    expect(stateName('KNA', 'en')).toBe('Saint Kitts and Nevis');
    expect(stateName('TTO', 'en')).toBe('Trinidad and Tobago');
    expect(stateName('COK', 'ru')).toBe('острова Кука');
    for (const language of ['en', 'ru'] as const) {
      for (const code of ISO_3166_ALPHA3) {
        expect(stateName(code, language), code).not.toMatch(/&|\bSt\. |(^|\s)о-в|Св\./);
      }
    }
  });

  it('returns a code it cannot name as it is, prototype keys included', () => {
    expect(stateName('XYZ', 'en')).toBe('XYZ');
    expect(stateName('constructor', 'fr')).toBe('constructor');
    expect(stateName('', 'zh')).toBe('');
  });
});

describe('stateMentions', () => {
  it('gives the code in brackets the first time only, per mail', () => {
    const mention = stateMentions('en');

    expect([mention('GRC'), mention('AUT'), mention('GRC')]).toEqual([
      'Greece (GRC)',
      'Austria (AUT)',
      'Greece',
    ]);
    expect(stateMentions('en')('GRC')).toBe('Greece (GRC)');
  });

  it('shows an unknown code once as it is, not as "XYZ (XYZ)"', () => {
    const mention = stateMentions('zh');

    expect([mention('XYZ'), mention('XYZ')]).toEqual(['XYZ', 'XYZ']);
    expect(mention('GRC')).toBe('希腊 (GRC)');
  });
});
