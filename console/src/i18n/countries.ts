// Country names for the user's language from i18n-iso-countries (ISO 3166, maintained), never
// typed by hand. Kept apart from format.ts so that only the screens that name countries load
// the data.
import countries from 'i18n-iso-countries';
import ar from 'i18n-iso-countries/langs/ar.json';
import en from 'i18n-iso-countries/langs/en.json';
import es from 'i18n-iso-countries/langs/es.json';
import fr from 'i18n-iso-countries/langs/fr.json';
import type { Language } from './languages';

for (const data of [en, fr, es, ar]) countries.registerLocale(data);

// A country's name from its ISO 3166-1 alpha-3 code; the code itself when the data set has no
// such country (an ICAO-only code such as UTO or XPO).
export function countryName(alpha3: string | null | undefined, lang: Language): string {
  if (!alpha3) return '';
  return countries.getName(alpha3.toUpperCase(), lang) ?? alpha3;
}

// Every ISO 3166-1 country as {code (alpha-3), name in the user's language}, sorted by name as
// the language sorts: the choices of a country picker.
export function countryOptions(lang: Language): { code: string; name: string }[] {
  const collator = new Intl.Collator(lang);
  return Object.keys(countries.getAlpha3Codes())
    .map((code) => ({ code, name: countryName(code, lang) }))
    .sort((a, b) => collator.compare(a.name, b.name));
}
