// The public page's catalogues pass the same checks as the console's, and every error code the
// public endpoints answer to what the page sends has words.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeCatalogues, flattenAll } from '../i18n/catalogueChecks';
import { catalogues } from './catalogues';

describeCatalogues('public page catalogues', catalogues);

describe('public page error codes', () => {
  const english = flattenAll(catalogues).en;
  const docs = ['../../../docs/public-extracts.md', '../../../docs/openapi.yaml']
    .map((p) => readFileSync(new URL(p, import.meta.url), 'utf8'))
    .join('\n');

  it('the codes of docs/public-extracts.md (the page sends no kind) have words', () => {
    const codes = ['invalid_request', 'invalid_name', 'name_too_long', 'notice_not_found'];
    for (const code of codes) {
      expect(docs.includes(`\`${code}\``) || docs.includes(code), `${code} is no longer in the API`).toBe(true);
      expect(english.has(`errors.${code}`), code).toBe(true);
    }
  });

  it('the rate limit has words with and without a wait', () => {
    expect(docs.includes('`rate_limited`')).toBe(true);
    expect(english.has('errors.rate_limited_one')).toBe(true);
    expect(english.has('errors.rate_limited_other')).toBe(true);
    expect(english.has('errors.rate_limited_unknown')).toBe(true);
  });

  it('the name normaliser\'s codes have words', () => {
    const source = readFileSync(new URL('../../../src/text/name_tokens.cc', import.meta.url), 'utf8');
    const codes = new Set([...source.matchAll(/InvalidArgument\("([a-z_]+)"/g)].map((m) => m[1] ?? ''));
    expect(codes.size).toBeGreaterThan(2);
    for (const code of codes) expect(english.has(`errors.${code}`), code).toBe(true);
  });
});
