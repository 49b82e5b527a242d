import { describe, expect, it } from 'vitest';
import type { DatabaseSchema } from '../api/records';
import { parseCsv, parseImport } from './importFile';

const SCHEMA: DatabaseSchema = {
  code: 'NOMINAL', title: 'Persons', review_years: 5, identifiers: [],
  fields: [
    { name: 'name', type: 'text', required: true },
    { name: 'aliases', type: 'text_list' },
    { name: 'nationalities', type: 'country_list' },
    { name: 'year', type: 'integer' },
    { name: 'identity_documents', type: 'object_list', fields: [] },
  ],
};

describe('an import file', () => {
  it('reads RFC 4180: quotes, doubled quotes, commas and line breaks in cells, CRLF, a BOM', () => {
    const { records, error } = parseCsv('\uFEFFa,b\r\n"x, ""y""","two\nlines"\r\nlast,\n');
    expect(error).toBeUndefined();
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, "y"', 'two\nlines'] },
      { line: 4, cells: ['last', ''] },
    ]);
    expect(parseCsv('a\n"open').error).toEqual({ line: 2, code: 'invalid_csv', message: 'a quoted cell is not closed' });
  });

  it('makes record inputs from CSV in the CLI\'s columns, and refuses bad rows by their line', () => {
    const csv = [
      'name,aliases,nationalities,year,identity_documents,external_id,restrict,frontline',
      'Сергей Попов,Sergei Popov|Serhiy Popov,RUS|UKR,1980,"[{""number"":""710000001"",""issuing_country"":""RUS""}]",FRA-1,only:DEU,ESP,false',
    ].join('\n');
    // "only:DEU,ESP" unquoted splits into two cells: the row is refused with its line.
    expect(parseImport(SCHEMA, 'p.csv', csv).problems).toEqual([{ line: 2, code: 'invalid_csv', message: '9 cells; the header has 8' }]);
    const good = parseImport(SCHEMA, 'p.csv', csv.replace('only:DEU,ESP', '"only:DEU,ESP"') + '\nAna,,,,,FRA-2,,\nBob,,,,[oops,FRA-3,,\nCy,,,,,FRA-1,sometimes,');
    expect(good.rows).toEqual([
      { line: 2, input: { fields: { name: 'Сергей Попов', aliases: ['Sergei Popov', 'Serhiy Popov'], nationalities: ['RUS', 'UKR'], year: 1980, identity_documents: [{ number: '710000001', issuing_country: 'RUS' }] }, restrictions: { visibility: 'only', countries: ['DEU', 'ESP'], frontline: false }, external_id: 'FRA-1' } },
      { line: 3, input: { fields: { name: 'Ana' }, restrictions: { visibility: 'all', countries: [], frontline: true }, external_id: 'FRA-2' } },
    ]);
    expect(good.problems).toEqual([
      { line: 4, code: 'invalid_json', message: 'identity_documents: not JSON' },
      { line: 5, code: 'invalid_restrictions', message: 'restrict is all, only:DEU,ESP or except:ITA' },
    ]);
  });

  it('reads JSON lines: record inputs, bare fields, export lines (hub keys dropped, cancelled left out)', () => {
    const text = [
      '{"fields":{"name":"A"},"external_id":"X-1","restrictions":{"visibility":"except","countries":["ITA"],"frontline":true}}',
      '',
      '{"name":"B"}',
      '{"id":"rec_1","version":3,"status":"active","owner":"ncb-fra","fields":{"name":"C"},"external_id":"X-2","created":"t"}',
      '{"id":"rec_2","status":"cancelled","fields":{"name":"D"}}',
      'not json',
      '{"fields":{"name":"E"},"external_id":"X-1"}',
    ].join('\n');
    const parsed = parseImport(SCHEMA, 'p.jsonl', text);
    expect(parsed.rows.map((r) => [r.line, r.input])).toEqual([
      [1, { fields: { name: 'A' }, external_id: 'X-1', restrictions: { visibility: 'except', countries: ['ITA'], frontline: true } }],
      [3, { fields: { name: 'B' } }],
      [4, { fields: { name: 'C' }, external_id: 'X-2' }],
    ]);
    expect(parsed.skippedCancelled).toBe(1);
    expect(parsed.problems).toEqual([
      { line: 6, code: 'invalid_json', message: 'not a JSON object' },
      { line: 7, code: 'duplicate_external_id', message: 'external_id also on line 1' },
    ]);
  });
});
