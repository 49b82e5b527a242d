// The console's catalogues pass the checks of catalogueChecks.ts, and every error code the API
// documents for the console's screens has words.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeCatalogues, flattenAll } from './catalogueChecks';
import { resources } from './i18n';

describeCatalogues('message catalogues', resources);
const english = flattenAll(resources).en;

describe('error codes', () => {
  it('every code the border-check API documents has words in the catalogue', () => {
    const openapi = readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8');
    const section = openapi.slice(openapi.indexOf('  /v1/border-checks:'));
    const described = section.slice(0, section.indexOf('\n  /v1/', 10));
    const codes = new Set([...described.matchAll(/`(mrz_[a-z_]+)`/g)].map((m) => m[1]));
    expect(codes.size).toBeGreaterThan(10);
    for (const code of codes) expect(english.has(`errors.${code}`), String(code)).toBe(true);
  });

  it('every login and session code of the API has words in the catalogue', () => {
    const codes = [
      'invalid_credentials', 'totp_required', 'invalid_totp', 'too_many_attempts',
      'missing_credentials', 'invalid_token', 'token_expired', 'token_revoked',
      'missing_capability', 'message_not_found', 'cursor_from_future',
    ];
    const openapi = readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8');
    for (const code of codes) {
      expect(openapi.includes(code), `${code} is no longer in the API`).toBe(true);
      expect(english.has(`errors.${code}`), code).toBe(true);
    }
  });
});
