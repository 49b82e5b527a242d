// A record's versions side by side: one row per field (and per own attribute: restrictions,
// review date, status, action), one column per version, each cell marked when it differs from
// the version before.
import type { StoredRecord } from '../api/records';

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

export function versionRows(versions: StoredRecord[], fieldOrder: string[]): VersionRow[] {
  const keys = [...fieldOrder];
  for (const v of versions) for (const k of Object.keys(v.fields ?? {})) if (!keys.includes(k)) keys.push(k);
  const rows: VersionRow[] = keys.map((k) => ({ key: k, own: false, cells: versions.map((v) => ({ text: text(v.fields?.[k]), changed: false })) }));
  const own: [string, (v: StoredRecord) => string][] = [
    ['status', (v) => v.status],
    ['restrictions', (v) => (v.restrictions ? `${v.restrictions.visibility}${v.restrictions.countries.length ? `: ${v.restrictions.countries.join(', ')}` : ''}${v.restrictions.frontline ? '' : ' (no frontline)'}` : '')],
    ['review_date', (v) => v.review_date ?? ''],
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
