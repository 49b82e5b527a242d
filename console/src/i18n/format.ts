// Dates, numbers and language names for the user's language, with Intl: no format typed by hand.
// Country names are in countries.ts.
import type { Language } from './languages';

// Latin digits in every language, Arabic included: identifiers, times and counts are read
// against documents and other systems that print them so.
export function locale(lang: Language): string {
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


// A BCP 47 language tag's name in the user's language ("fr" is "French", "francés"...).
export function languageTagName(tag: string, lang: Language): string {
  try {
    return new Intl.DisplayNames([locale(lang)], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

// Hours and minutes only, for a time the user plans by (when a session ends).
export function formatShortTime(date: Date, lang: Language): string {
  return new Intl.DateTimeFormat(locale(lang), { timeStyle: 'short' }).format(date);
}

// A day of this year's charts: day and month only (YYYY-MM-DD in).
export function formatDayMonth(day: string, lang: Language): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(date);
}
