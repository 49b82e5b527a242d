// A record's form made from its database's schema (GET /v1/databases), never from code per
// database: the values the form holds for each field type, the record's fields made from them
// (as the hub will check them: required, lengths, integers, dates, countries, enum values, list
// sizes), and the form filled from a stored record.
import type { FieldSpec, Fields } from '../api/records';

export type ObjectRow = Record<string, string>;
// text, integer, date, partial_date, country, enum: a string; text_list: one item per line;
// country_list: codes; object_list: rows of sub-field strings.
export type FieldValue = string | string[] | ObjectRow[];
export type FormValues = Record<string, FieldValue>;

export type ProblemCode =
  | 'required' | 'too_long' | 'not_integer' | 'out_of_range' | 'bad_date' | 'bad_partial_date'
  | 'bad_country' | 'bad_choice' | 'too_many_items';
export interface Problem {
  code: ProblemCode;
  max?: number;
  min?: number;
}
// Keyed by the field's path: "number", "identity_documents.0.number".
export type Problems = Record<string, Problem>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export function emptyValue(spec: FieldSpec): FieldValue {
  if (spec.type === 'country_list' || spec.type === 'object_list') return [];
  return '';
}

export function emptyForm(specs: FieldSpec[]): FormValues {
  return Object.fromEntries(specs.map((s) => [s.name, emptyValue(s)]));
}

export function emptyRow(spec: FieldSpec): ObjectRow {
  return Object.fromEntries((spec.fields ?? []).map((f) => [f.name, '']));
}

function realDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const bytes = (s: string) => new TextEncoder().encode(s).length;

// One scalar value as the hub stores it, or a problem. `undefined`: empty.
function scalar(spec: FieldSpec, raw: string): { value?: unknown; problem?: Problem } {
  const text = raw.trim();
  if (text === '') return {};
  switch (spec.type) {
    case 'integer': {
      if (!/^-?\d{1,15}$/.test(text)) return { problem: { code: 'not_integer' } };
      const n = Number(text);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        return { problem: { code: 'out_of_range', ...(spec.min !== undefined ? { min: spec.min } : {}), ...(spec.max !== undefined ? { max: spec.max } : {}) } };
      }
      return { value: n };
    }
    case 'date':
      return realDate(text) ? { value: text } : { problem: { code: 'bad_date' } };
    case 'partial_date':
      if (!PARTIAL_DATE.test(text) || (text.length === 10 && !realDate(text))) return { problem: { code: 'bad_partial_date' } };
      return { value: text };
    case 'country':
      return /^[A-Za-z]{3}$/.test(text) ? { value: text.toUpperCase() } : { problem: { code: 'bad_country' } };
    case 'enum':
      return spec.values?.includes(text) ? { value: text } : { problem: { code: 'bad_choice' } };
    default: {
      const max = spec.max_length ?? 200;
      return bytes(text) > max ? { problem: { code: 'too_long', max } } : { value: text };
    }
  }
}

function textItems(value: FieldValue): string[] {
  const lines = typeof value === 'string' ? value.split('\n') : (value as string[]);
  return [...new Set(lines.map((l) => String(l).trim()).filter(Boolean))];
}

// The record's fields from the form, and the problems that would make the hub refuse it.
export function toFields(specs: FieldSpec[], values: FormValues, at = ''): { fields: Fields; problems: Problems } {
  const fields: Fields = {};
  const problems: Problems = {};
  for (const spec of specs) {
    const key = at + spec.name;
    const raw = values[spec.name] ?? emptyValue(spec);
    let value: unknown;
    if (spec.type === 'text_list' || spec.type === 'country_list') {
      const items = textItems(raw).map((item) => scalar({ ...spec, type: spec.type === 'country_list' ? 'country' : 'text' }, item));
      const bad = items.find((i) => i.problem);
      if (bad?.problem) problems[key] = bad.problem;
      else if (items.length > (spec.max_items ?? 20)) problems[key] = { code: 'too_many_items', max: spec.max_items ?? 20 };
      else if (items.length > 0) value = items.map((i) => i.value);
    } else if (spec.type === 'object_list') {
      const rows = (Array.isArray(raw) ? raw : []) as ObjectRow[];
      const objects: Fields[] = [];
      rows.forEach((row, i) => {
        if (Object.values(row).every((v) => v.trim() === '')) return;
        const sub = toFields(spec.fields ?? [], row, `${key}.${i}.`);
        Object.assign(problems, sub.problems);
        objects.push(sub.fields);
      });
      if (objects.length > (spec.max_items ?? 20)) problems[key] = { code: 'too_many_items', max: spec.max_items ?? 20 };
      else if (objects.length > 0) value = objects;
    } else {
      const one = scalar(spec, typeof raw === 'string' ? raw : '');
      if (one.problem) problems[key] = one.problem;
      value = one.value;
    }
    if (value === undefined) {
      if (spec.required && !problems[key]) problems[key] = { code: 'required' };
      continue;
    }
    fields[spec.name] = value;
  }
  return { fields, problems };
}

// The form filled from a stored record's fields.
export function fromFields(specs: FieldSpec[], fields: Fields): FormValues {
  const values = emptyForm(specs);
  for (const spec of specs) {
    const v = fields[spec.name];
    if (v === undefined || v === null) continue;
    if (spec.type === 'text_list') values[spec.name] = Array.isArray(v) ? v.map(String).join('\n') : String(v);
    else if (spec.type === 'country_list') values[spec.name] = Array.isArray(v) ? v.map(String) : [String(v)];
    else if (spec.type === 'object_list') {
      values[spec.name] = (Array.isArray(v) ? v : []).map((o) => {
        const row = emptyRow(spec);
        for (const f of spec.fields ?? []) {
          const x = (o as Fields)[f.name];
          if (x !== undefined && x !== null) row[f.name] = String(x);
        }
        return row;
      });
    } else values[spec.name] = String(v);
  }
  return values;
}

// The field a hub refusal names ("\"number\" is required", "year: above 2100",
// "identity_documents[0].number: ...", "no field \"colour\""), as a form key.
export function fieldOfMessage(message: string): string | null {
  const m = /^(?:no field )?"?([a-z0-9_]+)(?:\[(\d+)\])?(?:\.([a-z0-9_]+))?"?(?::| is required|$)/.exec(message);
  if (!m?.[1]) return null;
  return m[2] !== undefined && m[3] ? `${m[1]}.${m[2]}.${m[3]}` : m[1];
}
