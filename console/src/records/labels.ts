// What the console shows for the catalogue's databases, fields and enumerated values, in the
// user's language: the words come from the message catalogues (locales/*.json, under
// "catalogue.<DB>"), keyed by the schema's codes, which stay what the API is sent. A database,
// field or value the catalogues do not know (a hub with a newer catalogue) falls back to the
// schema's own title, name, description or code. catalogue.test.ts checks that every one of the
// hub's catalogue (src/records/catalogue_data.cc) has words in every language.
import type { TFunction } from 'i18next';
import type { DatabaseSchema, FieldSpec } from '../api/records';
import { countryName } from '../i18n/countries';
import { formatDate } from '../i18n/format';
import type { Language } from '../i18n/languages';

// The key of a field's label: "catalogue.NOMINAL.fields.name", or for a sub-field of an object
// list "catalogue.NOMINAL.subfields.identity_documents.number".
export function fieldKey(db: string, name: string, parent?: string): string {
  return parent ? `catalogue.${db}.subfields.${parent}.${name}` : `catalogue.${db}.fields.${name}`;
}

export function hintKey(db: string, name: string, parent?: string): string {
  return parent ? `catalogue.${db}.subhints.${parent}.${name}` : `catalogue.${db}.hints.${name}`;
}

export function valueKey(db: string, field: string, value: string, parent?: string): string {
  return parent ? `catalogue.${db}.subvalues.${parent}.${field}.${value}` : `catalogue.${db}.values.${field}.${value}`;
}

// A record's fields in the schema's order, then any the schema does not name.
export function orderedFields(specs: FieldSpec[], fields: Record<string, unknown>): [string, unknown][] {
  const known = specs.filter((s) => fields[s.name] !== undefined).map((s): [string, unknown] => [s.name, fields[s.name]]);
  return [...known, ...Object.entries(fields).filter(([k]) => !specs.some((s) => s.name === k))];
}

export function databaseTitle(t: TFunction, schema: Pick<DatabaseSchema, 'code' | 'title'>): string {
  return t(`catalogue.${schema.code}.title`, { defaultValue: schema.title });
}

export function fieldLabel(t: TFunction, db: string, name: string, parent?: string): string {
  return t(fieldKey(db, name, parent), { defaultValue: name });
}

// A field's hint: the catalogue's description in the user's language, or none.
export function fieldHint(t: TFunction, db: string, spec: FieldSpec, parent?: string): string | undefined {
  if (!spec.description) return undefined;
  return t(hintKey(db, spec.name, parent), { defaultValue: spec.description });
}

export function valueLabel(t: TFunction, db: string, field: string, value: string, parent?: string): string {
  return t(valueKey(db, field, value, parent), { defaultValue: value });
}

// A stored field's value as the user reads it: enum values in words, countries by name, dates
// in the language's form, lists joined, object lists as "label: value" per row. Free text is
// shown as it was typed.
export function displayValue(
  t: TFunction, lang: Language, db: string, spec: FieldSpec | undefined, value: unknown, parent?: string,
): string {
  if (value === undefined || value === null) return '';
  if (!spec) return typeof value === 'object' ? JSON.stringify(value) : String(value);
  switch (spec.type) {
    case 'enum':
      return valueLabel(t, db, spec.name, String(value), parent);
    case 'country':
      return countryName(String(value), lang);
    case 'date':
    case 'partial_date':
      return formatDate(String(value), lang);
    case 'country_list':
      return (Array.isArray(value) ? value : [value]).map((c) => countryName(String(c), lang)).join(', ');
    case 'text_list':
      return (Array.isArray(value) ? value : [value]).map(String).join(', ');
    case 'object_list':
      return (Array.isArray(value) ? value : []).map((row) => {
        const o = (row ?? {}) as Record<string, unknown>;
        const subs = spec.fields ?? [];
        const known = subs.filter((s) => o[s.name] !== undefined && o[s.name] !== null)
          .map((s) => `${fieldLabel(t, db, s.name, spec.name)}: ${displayValue(t, lang, db, s, o[s.name], spec.name)}`);
        const other = Object.keys(o).filter((k) => !subs.some((s) => s.name === k))
          .map((k) => `${k}: ${typeof o[k] === 'object' ? JSON.stringify(o[k]) : String(o[k])}`);
        return [...known, ...other].join(', ');
      }).join('; ');
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
