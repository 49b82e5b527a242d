// How an extract's fields are shown: the known public fields in a fixed order with their labels
// in the user's language, values as text (countries named, dates and sexes in words), and any
// field the page does not know shown under its own name rather than dropped.
import type { TFunction } from 'i18next';
import { countryName } from '../i18n/countries';
import { formatDate } from '../i18n/format';
import type { Language } from '../i18n/languages';
import type { PublicError, PublicExtract } from './api';

const ENVELOPE = new Set(['id', 'url', 'control_number', 'kind', 'requesting_country', 'published', 'images']);
const ORDER = [
  'name', 'name_latin', 'aliases', 'sex', 'date_of_birth', 'place_of_birth', 'nationalities',
  'languages', 'physical_description', 'date_of_disappearance', 'place_of_disappearance', 'charges',
  'sanctions_committee', 'un_reference', 'sanctions', 'reasons',
];
const COUNTRY_FIELDS = new Set(['nationalities']);
const DATE_FIELDS = new Set(['date_of_birth', 'date_of_disappearance']);
const KINDS = new Set(['red', 'yellow', 'un_special']);

export function subjectName(e: PublicExtract): string | null {
  for (const key of ['name', 'name_latin']) {
    const v = e[key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return null;
}

// The name in Latin letters when it differs from the name shown.
export function latinName(e: PublicExtract): string | null {
  const latin = e.name_latin;
  return typeof latin === 'string' && latin.trim() && latin !== subjectName(e) ? latin : null;
}

export function kindLabel(t: TFunction, kind: string): string {
  return KINDS.has(kind) ? t(`kind.${kind}`) : t('kind.other', { kind });
}

function valueText(t: TFunction, lang: Language, key: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => valueText(t, lang, key, v)).join(', ');
  if (typeof value === 'string') {
    if (COUNTRY_FIELDS.has(key)) return countryName(value, lang);
    if (DATE_FIELDS.has(key)) return formatDate(value, lang);
    if (key === 'sex' && ['M', 'F', 'U'].includes(value)) return t(`sex.${value}`);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${valueText(t, lang, k, v)}`).join('; ');
  }
  return '';
}

export interface Fact {
  key: string;
  label: string;
  value: string;
}

// The extract's fields as label and text, known fields first in ORDER, then the others.
export function facts(t: TFunction, lang: Language, e: PublicExtract): Fact[] {
  const keys = Object.keys(e).filter((k) => !ENVELOPE.has(k));
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys
    .map((key) => ({
      key,
      label: ORDER.includes(key) ? t(`field.${key}`) : key,
      value: valueText(t, lang, key, e[key]),
    }))
    .filter((f) => f.value !== '');
}

function rank(key: string): number {
  const i = ORDER.indexOf(key);
  return i < 0 ? ORDER.length : i;
}

export function nationalities(lang: Language, e: PublicExtract): string {
  return Array.isArray(e.nationalities) ? e.nationalities.map((c) => countryName(String(c), lang)).join(', ') : '';
}

const ERROR_CODES = new Set([
  'notice_not_found', 'invalid_request', 'invalid_name', 'empty_name', 'name_too_long',
  'too_many_tokens', 'network', 'public_unavailable',
]);

// An error in words. The rate limit is said politely, with the wait when the server gave one.
export function errorWords(t: TFunction, error: PublicError): string {
  if (error.code === 'rate_limited' || error.status === 429) {
    return error.retryAfter ? t('errors.rate_limited', { count: error.retryAfter }) : t('errors.rate_limited_unknown');
  }
  if (ERROR_CODES.has(error.code)) return t(`errors.${error.code}`);
  return t('errors.unknown', { code: error.code });
}
