import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../api/records';
import { versionRows } from './versions';

const base = {
  id: 'rec_1', database: 'SLTD', owner: 'ncb-fra', owner_country: 'FRA', created: 't', updated: 't',
} as const;
const v1: StoredRecord = { ...base, version: 1, status: 'active', fields: { number: 'X1', status: 'lost' },
  restrictions: { visibility: 'all', countries: [], frontline: true }, review_date: '2030-01-01' };
const v2: StoredRecord = { ...v1, version: 2, fields: { number: 'X1', status: 'stolen', event_place: 'Lyon' },
  restrictions: { visibility: 'only', countries: ['DEU', 'ESP'], frontline: false } };

describe('versions side by side', () => {
  it('marks what each version changed, fields and restrictions alike', () => {
    const rows = versionRows([v1, v2], ['number', 'status', 'event_place']);
    const byKey = Object.fromEntries(rows.map((r) => [`${r.own ? '@' : ''}${r.key}`, r.cells.map((c) => `${c.text}${c.changed ? ' *' : ''}`)]));
    expect(byKey).toEqual({
      number: ['X1', 'X1'],
      status: ['lost', 'stolen *'],
      event_place: ['', 'Lyon *'],
      '@status': ['active', 'active'],
      '@restrictions': ['all', 'only: DEU, ESP (no frontline) *'],
      '@review_date': ['2030-01-01', '2030-01-01'],
    });
  });

  it('shows each cell in the words it is given, and compares what is shown', () => {
    const rows = versionRows([v1, v2], ['number', 'status'], {
      show: (k, v) => (k === 'status' ? `<${String(v)}>` : String(v)),
      status: (s) => s.toUpperCase(),
      restrictions: (r) => r.visibility.toUpperCase(),
      date: (d) => d.slice(0, 4),
    });
    const byKey = Object.fromEntries(rows.map((r) => [`${r.own ? '@' : ''}${r.key}`, r.cells.map((c) => `${c.text}${c.changed ? ' *' : ''}`)]));
    expect(byKey.status).toEqual(['<lost>', '<stolen> *']);
    expect(byKey['@status']).toEqual(['ACTIVE', 'ACTIVE']);
    expect(byKey['@restrictions']).toEqual(['ALL', 'ONLY *']);
    expect(byKey['@review_date']).toEqual(['2030', '2030']);
  });
});
