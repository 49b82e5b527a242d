// The checks every set of catalogues passes (the console's and the public page's): every language
// has exactly the keys English has (plural forms as each language needs them), every value is a
// non-empty string with the same interpolation variables, and the translations are not copies.
// Called from a test file.
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from './languages';

export type Tree = { [key: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

export function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

// Keys with plural suffixes folded to their base, so that Arabic's six forms and English's two
// count as the same key.
function baseKeys(flat: Map<string, string>): Set<string> {
  return new Set([...flat.keys()].map((k) => k.replace(PLURAL, '')));
}

function variables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

export function flattenAll(resources: Record<Language, unknown>): Record<Language, Map<string, string>> {
  return Object.fromEntries(
    LANGUAGES.map((lang) => [lang, flatten(resources[lang] as Tree)]),
  ) as Record<Language, Map<string, string>>;
}

export function describeCatalogues(name: string, resources: Record<Language, unknown>): void {
  const flat = flattenAll(resources);
  const english = flat.en;
  describe(name, () => {
    for (const lang of LANGUAGES) {
      it(`${lang} has no missing and no extra key`, () => {
        const want = [...baseKeys(english)].sort();
        const have = [...baseKeys(flat[lang])].sort();
        expect(have.filter((k) => !want.includes(k)), 'extra keys').toEqual([]);
        expect(want.filter((k) => !have.includes(k)), 'missing keys').toEqual([]);
      });

      it(`${lang} has every plural form the language needs, and no other`, () => {
        const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        const plurals = new Set(
          [...english.keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')),
        );
        for (const base of plurals) {
          const forms = [...flat[lang].keys()]
            .filter((k) => k.replace(PLURAL, '') === base && PLURAL.test(k))
            .map((k) => PLURAL.exec(k)?.[1])
            .sort();
          expect(forms, base).toEqual([...categories].sort());
        }
      });

      it(`${lang} values are non-empty and keep the interpolation variables`, () => {
        for (const [key, value] of flat[lang]) {
          expect(value.trim(), key).not.toBe('');
          const enValue = english.get(key) ?? english.get(key.replace(PLURAL, '_other'));
          expect(enValue, `${key} has no English counterpart`).toBeDefined();
          const expected = variables(enValue ?? '');
          // A plural form may leave out {{count}} where the word says the number ("one").
          const got = variables(value);
          expect(got.filter((v) => v !== 'count'), key).toEqual(expected.filter((v) => v !== 'count'));
        }
      });
    }

    it('is translated, not copied: most values differ from English', () => {
      for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
        let same = 0;
        for (const [key, value] of flat[lang]) if (english.get(key) === value) same++;
        // Names, codes and a few words ("Messages", "Flash") are legitimately the same.
        expect(same / flat[lang].size, lang).toBeLessThan(0.1);
      }
    });
  });
}
