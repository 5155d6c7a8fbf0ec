import type { Language } from './review.ts';

/**
 * The officially assigned ISO 3166-1 alpha-3 codes: all 249 of the standard (the 193 UN
 * Member States, the two observer States and the territories it lists). User-assigned codes
 * (`AAA`–`AAZ`, `QMA`–`QZZ`, `XAA`–`XZZ`, `ZZA`–`ZZZ`) and reserved ones name no State, so a
 * review naming one is a typo. Kept here rather than in a dependency: the list changes once
 * in several years, and such a change should be a reviewed commit.
 */
export const ISO_3166_ALPHA3: ReadonlySet<string> = new Set(
  [
    'ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE',
    'BDI BEL BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA',
    'CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE',
    'DEU DJI DMA DNK DOM DZA',
    'ECU EGY ERI ESH ESP EST ETH',
    'FIN FJI FLK FRA FRO FSM',
    'GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY',
    'HKG HMD HND HRV HTI HUN',
    'IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA',
    'JAM JEY JOR JPN',
    'KAZ KEN KGZ KHM KIR KNA KOR KWT',
    'LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA',
    'MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT',
    'NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL',
    'OMN',
    'PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF',
    'QAT',
    'REU ROU RUS RWA',
    'SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR',
    'TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA',
    'UGA UKR UMI URY USA UZB',
    'VAT VCT VEN VGB VIR VNM VUT',
    'WLF WSM',
    'YEM',
    'ZAF ZMB ZWE',
  ].flatMap((line) => line.split(' ')),
);

/** True when `code` is an officially assigned ISO 3166-1 alpha-3 code (upper case). */
export function isStateCode(code: string): boolean {
  return ISO_3166_ALPHA3.has(code);
}

/**
 * ISO 3166-1 alpha-3 → alpha-2, for every code above: `Intl.DisplayNames` knows regions only by
 * alpha-2 (or UN M.49) codes. Written out for the same reason as the list, and checked against it
 * by a unit test (each code maps, and ICU names it). Pairs are `ALPHA3:ALPHA2`.
 */
const ALPHA3_TO_ALPHA2: ReadonlyMap<string, string> = new Map(
  [
    'ABW:AW AFG:AF AGO:AO AIA:AI ALA:AX ALB:AL AND:AD ARE:AE ARG:AR ARM:AM ASM:AS ATA:AQ ATF:TF ATG:AG AUS:AU AUT:AT AZE:AZ',
    'BDI:BI BEL:BE BEN:BJ BES:BQ BFA:BF BGD:BD BGR:BG BHR:BH BHS:BS BIH:BA BLM:BL BLR:BY BLZ:BZ BMU:BM BOL:BO BRA:BR BRB:BB BRN:BN BTN:BT BVT:BV BWA:BW',
    'CAF:CF CAN:CA CCK:CC CHE:CH CHL:CL CHN:CN CIV:CI CMR:CM COD:CD COG:CG COK:CK COL:CO COM:KM CPV:CV CRI:CR CUB:CU CUW:CW CXR:CX CYM:KY CYP:CY CZE:CZ',
    'DEU:DE DJI:DJ DMA:DM DNK:DK DOM:DO DZA:DZ',
    'ECU:EC EGY:EG ERI:ER ESH:EH ESP:ES EST:EE ETH:ET',
    'FIN:FI FJI:FJ FLK:FK FRA:FR FRO:FO FSM:FM',
    'GAB:GA GBR:GB GEO:GE GGY:GG GHA:GH GIB:GI GIN:GN GLP:GP GMB:GM GNB:GW GNQ:GQ GRC:GR GRD:GD GRL:GL GTM:GT GUF:GF GUM:GU GUY:GY',
    'HKG:HK HMD:HM HND:HN HRV:HR HTI:HT HUN:HU',
    'IDN:ID IMN:IM IND:IN IOT:IO IRL:IE IRN:IR IRQ:IQ ISL:IS ISR:IL ITA:IT',
    'JAM:JM JEY:JE JOR:JO JPN:JP',
    'KAZ:KZ KEN:KE KGZ:KG KHM:KH KIR:KI KNA:KN KOR:KR KWT:KW',
    'LAO:LA LBN:LB LBR:LR LBY:LY LCA:LC LIE:LI LKA:LK LSO:LS LTU:LT LUX:LU LVA:LV',
    'MAC:MO MAF:MF MAR:MA MCO:MC MDA:MD MDG:MG MDV:MV MEX:MX MHL:MH MKD:MK MLI:ML MLT:MT MMR:MM MNE:ME MNG:MN MNP:MP MOZ:MZ MRT:MR MSR:MS MTQ:MQ MUS:MU MWI:MW MYS:MY MYT:YT',
    'NAM:NA NCL:NC NER:NE NFK:NF NGA:NG NIC:NI NIU:NU NLD:NL NOR:NO NPL:NP NRU:NR NZL:NZ',
    'OMN:OM',
    'PAK:PK PAN:PA PCN:PN PER:PE PHL:PH PLW:PW PNG:PG POL:PL PRI:PR PRK:KP PRT:PT PRY:PY PSE:PS PYF:PF',
    'QAT:QA',
    'REU:RE ROU:RO RUS:RU RWA:RW',
    'SAU:SA SDN:SD SEN:SN SGP:SG SGS:GS SHN:SH SJM:SJ SLB:SB SLE:SL SLV:SV SMR:SM SOM:SO SPM:PM SRB:RS SSD:SS STP:ST SUR:SR SVK:SK SVN:SI SWE:SE SWZ:SZ SXM:SX SYC:SC SYR:SY',
    'TCA:TC TCD:TD TGO:TG THA:TH TJK:TJ TKL:TK TKM:TM TLS:TL TON:TO TTO:TT TUN:TN TUR:TR TUV:TV TWN:TW TZA:TZ',
    'UGA:UG UKR:UA UMI:UM URY:UY USA:US UZB:UZ',
    'VAT:VA VCT:VC VEN:VE VGB:VG VIR:VI VNM:VN VUT:VU',
    'WLF:WF WSM:WS',
    'YEM:YE',
    'ZAF:ZA ZMB:ZM ZWE:ZW',
  ]
    .flatMap((line) => line.split(' '))
    .map((pair) => {
      const [alpha3 = '', alpha2 = ''] = pair.split(':');
      return [alpha3, alpha2] as const;
    }),
);

/** The ISO 3166-1 alpha-2 code of an alpha-3 code, or undefined when the code is not in the list. */
export function alpha2Of(code: string): string | undefined {
  return ALPHA3_TO_ALPHA2.get(code);
}

/**
 * Where CLDR's everyday name is not the one the United Nations uses for a State party or
 * observer, and a focal point would read it as careless or as a slight ("North Korea" to the
 * Democratic People's Republic of Korea, "Vatican City" to the Holy See, "Congo - Kinshasa"):
 * the UN short names (UNTERM). A language left out keeps CLDR's name, which is the UN's there.
 */
const UN_NAMES: Readonly<Record<string, Partial<Record<Language, string>>>> = {
  KOR: {
    ar: 'جمهورية كوريا',
    en: 'Republic of Korea',
    es: 'República de Corea',
    fr: 'République de Corée',
    zh: '大韩民国',
  },
  PRK: {
    ar: 'جمهورية كوريا الشعبية الديمقراطية',
    en: "Democratic People's Republic of Korea",
    es: 'República Popular Democrática de Corea',
    fr: 'République populaire démocratique de Corée',
    ru: 'Корейская Народно-Демократическая Республика',
    zh: '朝鲜民主主义人民共和国',
  },
  PSE: {
    ar: 'دولة فلسطين',
    en: 'State of Palestine',
    es: 'Estado de Palestina',
    fr: 'État de Palestine',
    ru: 'Государство Палестина',
    zh: '巴勒斯坦国',
  },
  VAT: {
    ar: 'الكرسي الرسولي',
    en: 'Holy See',
    es: 'Santa Sede',
    fr: 'Saint-Siège',
    ru: 'Святейший Престол',
    zh: '教廷',
  },
  COD: {
    ar: 'جمهورية الكونغو الديمقراطية',
    en: 'Democratic Republic of the Congo',
    fr: 'République démocratique du Congo',
    ru: 'Демократическая Республика Конго',
    zh: '刚果民主共和国',
  },
  COG: { ar: 'الكونغو', en: 'Congo', fr: 'Congo', ru: 'Конго', zh: '刚果' },
  // CLDR adds "(Burma)", which would read "Myanmar (Burma) (MMR)" with the code in brackets.
  MMR: { ar: 'ميانمار', en: 'Myanmar', es: 'Myanmar', fr: 'Myanmar', ru: 'Мьянма' },
  TLS: { fr: 'Timor-Leste', ru: 'Тимор-Лешти' },
  VCT: { en: 'Saint Vincent and the Grenadines' },
  STP: { en: 'Sao Tome and Principe' },
  // Member States whose name is "Islands": a State's name takes the capital (UN Russian usage).
  MHL: { ru: 'Маршалловы Острова' },
  SLB: { ru: 'Соломоновы Острова' },
  SYC: { ru: 'Сейшельские Острова' },
};

/**
 * CLDR's English and Russian names abbreviate ("St. Kitts & Nevis", "о-ва Кука"), which reads
 * as a slip in formal mail: written out in full.
 */
function unabbreviated(name: string, language: Language): string {
  if (language === 'en') return name.replaceAll(' & ', ' and ').replace(/\bSt\. /g, 'Saint ');
  if (language === 'ru')
    return name
      .replace(/(^|\s)о-ва(?=\s|$)/g, '$1острова')
      .replace(/(^|\s)о-в(?=\s|$)/g, '$1остров')
      .replace(/(^|\s)Св\. /g, '$1Святой ');
  return name;
}

const regionNames = new Map<Language, Intl.DisplayNames>();

function regionNamesIn(language: Language): Intl.DisplayNames {
  let names = regionNames.get(language);
  if (!names) {
    // `fallback: 'none'` so an unknown region gives undefined instead of echoing its code.
    names = new Intl.DisplayNames(language, { type: 'region', fallback: 'none' });
    regionNames.set(language, names);
  }
  return names;
}

/**
 * The State's name in the language, from CLDR through ICU (no table to ship: Node carries full
 * ICU), with the UN's name where it differs: `stateName('GRC', 'fr')` is `Grèce`. A code it
 * cannot name is returned as it is.
 */
export function stateName(code: string, language: Language): string {
  // `hasOwn`: a code such as `constructor` must not reach the object's prototype.
  const un = Object.hasOwn(UN_NAMES, code) ? UN_NAMES[code]?.[language] : undefined;
  if (un) return un;
  const alpha2 = ALPHA3_TO_ALPHA2.get(code);
  const cldr = alpha2 === undefined ? undefined : regionNamesIn(language).of(alpha2);
  return cldr === undefined ? code : unabbreviated(cldr, language);
}
