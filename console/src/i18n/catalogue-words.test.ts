// Every database of the hub's catalogue (src/records/catalogue_data.cc, the schemas GET
// /v1/databases answers) has words in every language: its title, each field's label, each
// description's hint, each enumerated value, and the sub-fields of object lists, so that no form,
// list or record page shows a schema code (`issuing_country`, `passport`) to a user. And the
// catalogues hold no words for fields the hub no longer has.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../api/records';
import { fieldKey, hintKey, valueKey } from '../records/labels';
import { flattenAll } from './catalogueChecks';
import { resources } from './i18n';
import { LANGUAGES } from './languages';

interface Schema { code: string; title: string; fields: FieldSpec[] }

function hubCatalogue(): Schema[] {
  const source = readFileSync(new URL('../../../src/records/catalogue_data.cc', import.meta.url), 'utf8');
  const json = /R"json\(([\s\S]*)\)json"/.exec(source)?.[1];
  if (!json) throw new Error('no R"json(...)json" literal in catalogue_data.cc');
  return (JSON.parse(json) as { databases: Schema[] }).databases;
}

// The keys the console looks up for a database, with the code each one would otherwise show.
export function wordsNeeded(schema: Schema): Map<string, string> {
  const keys = new Map<string, string>([[`catalogue.${schema.code}.title`, schema.code]]);
  const add = (spec: FieldSpec, parent?: string) => {
    keys.set(fieldKey(schema.code, spec.name, parent), spec.name);
    if (spec.description) keys.set(hintKey(schema.code, spec.name, parent), spec.description);
    for (const v of spec.values ?? []) keys.set(valueKey(schema.code, spec.name, v, parent), v);
    if (!parent) for (const sub of spec.fields ?? []) add(sub, spec.name);
  };
  for (const spec of schema.fields) add(spec);
  return keys;
}

const catalogue = hubCatalogue();
const flat = flattenAll(resources);

describe('words for the hub catalogue', () => {
  it('reads the hub catalogue', () => {
    expect(catalogue.map((s) => s.code)).toEqual(expect.arrayContaining(['SLTD', 'NOMINAL', 'SMV', 'FIREARMS']));
    expect(catalogue.every((s) => s.fields.length > 0)).toBe(true);
  });

  const needed = new Map(catalogue.flatMap((s) => [...wordsNeeded(s)]));
  for (const lang of LANGUAGES) {
    it(`${lang} has a label for every field, hint and enum value, not the code itself`, () => {
      const missing = [...needed.keys()].filter((k) => !flat[lang].has(k));
      expect(missing, `missing in ${lang}.json`).toEqual([]);
      const raw = [...needed].filter(([k, code]) => flat[lang].get(k) === code);
      expect(raw, `shown as the raw code in ${lang}.json`).toEqual([]);
    });

    it(`${lang} has no words for fields or values the hub catalogue lacks`, () => {
      const stale = [...flat[lang].keys()].filter((k) => k.startsWith('catalogue.') && !needed.has(k));
      expect(stale).toEqual([]);
    });
  }

  it('a missing value word fails the check', () => {
    const schema: Schema = { code: 'SLTD', title: 'x', fields: [{ name: 'status', type: 'enum', values: ['stolen', 'teleported'] }] };
    const missing = [...wordsNeeded(schema).keys()].filter((k) => !flat.ar.has(k));
    expect(missing).toEqual(['catalogue.SLTD.values.status.teleported']);
  });
});
