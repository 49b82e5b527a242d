// Dates, numbers and country names for the user's language: Intl and i18n-iso-countries, never
// formats or names typed by hand.
import countries from 'i18n-iso-countries';
import ar from 'i18n-iso-countries/langs/ar.json';
import en from 'i18n-iso-countries/langs/en.json';
import es from 'i18n-iso-countries/langs/es.json';
import fr from 'i18n-iso-countries/langs/fr.json';
import type { Language } from './languages';

for (const data of [en, fr, es, ar]) countries.registerLocale(data);

// Latin digits in every language, Arabic included: identifiers, times and counts are read
// against documents and other systems that print them so.
function locale(lang: Language): string {
  return lang === 'ar' ? 'ar-u-nu-latn' : lang;
}

export function formatDateTime(iso: string | number, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(lang), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

export function formatTime(date: Date, lang: Language): string {
  return new Intl.DateTimeFormat(locale(lang), { timeStyle: 'medium' }).format(date);
}

// A calendar date (YYYY-MM-DD, YYYY-MM or YYYY, as the MRZ may give only part of it).
export function formatDate(value: string, lang: Language): string {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value);
  if (!m) return value;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo ?? 1) - 1, Number(d ?? 1)));
  const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric' };
  if (mo) options.month = d ? 'short' : 'long';
  if (d) options.day = 'numeric';
  return new Intl.DateTimeFormat(locale(lang), options).format(date);
}

export function formatNumber(n: number, lang: Language): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

// A country's name from its ISO 3166-1 alpha-3 code; the code itself when the data set has no
// such country (an ICAO-only code such as UTO or XPO).
export function countryName(alpha3: string | null | undefined, lang: Language): string {
  if (!alpha3) return '';
  return countries.getName(alpha3.toUpperCase(), lang) ?? alpha3;
}

// A BCP 47 language tag's name in the user's language ("fr" is "French", "francés"...).
export function languageTagName(tag: string, lang: Language): string {
  try {
    return new Intl.DisplayNames([locale(lang)], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
