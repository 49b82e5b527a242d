// A record's versions side by side: one row per field (and per own attribute: restrictions,
// review date, status, action), one column per version, each cell marked when it differs from
// the version before.
import type { Restrictions, StoredRecord } from '../api/records';

export interface VersionRow {
  key: string;
  own: boolean; // the record's own attribute (status, restrictions...), not a field
  cells: { text: string; changed: boolean }[];
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(', ');
  return JSON.stringify(value);
}

// How the user reads a version: `show` gives a field's value (labels.ts: enum values in words,
// countries by name), `status`, `restrictions` and `date` (the review date) the record's own; by
// default, as stored.
export interface VersionWords {
  show?: (key: string, value: unknown) => string;
  status?: (status: StoredRecord['status']) => string;
  restrictions?: (r: Restrictions) => string;
  date?: (date: string) => string;
}

function rawRestrictions(r: Restrictions): string {
  return `${r.visibility}${r.countries.length ? `: ${r.countries.join(', ')}` : ''}${r.frontline ? '' : ' (no frontline)'}`;
}

export function versionRows(versions: StoredRecord[], fieldOrder: string[], words: VersionWords = {}): VersionRow[] {
  const show = words.show ?? ((_: string, v: unknown) => text(v));
  const restrictions = words.restrictions ?? rawRestrictions;
  const status = words.status ?? ((s: string) => s);
  const date = words.date ?? ((d: string) => d);
  const keys = [...fieldOrder];
  for (const v of versions) for (const k of Object.keys(v.fields ?? {})) if (!keys.includes(k)) keys.push(k);
  const rows: VersionRow[] = keys.map((k) => ({ key: k, own: false, cells: versions.map((v) => ({ text: v.fields?.[k] === undefined || v.fields[k] === null ? '' : show(k, v.fields[k]), changed: false })) }));
  const own: [string, (v: StoredRecord) => string][] = [
    ['status', (v) => status(v.status)],
    ['restrictions', (v) => (v.restrictions ? restrictions(v.restrictions) : '')],
    ['review_date', (v) => (v.review_date ? date(v.review_date) : '')],
    ['action', (v) => v.action ?? ''],
    ['cancel_reason', (v) => v.cancel_reason ?? ''],
  ];
  for (const [key, of] of own) rows.push({ key, own: true, cells: versions.map((v) => ({ text: of(v), changed: false })) });
  for (const row of rows) {
    row.cells.forEach((c, i) => {
      c.changed = i > 0 && c.text !== row.cells[i - 1]?.text;
    });
  }
  return rows.filter((r) => r.cells.some((c) => c.text !== ''));
}
