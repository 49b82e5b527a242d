// Nothing of a hub answer is rendered as HTML: a border check result whose record fields,
// actions, control numbers and names carry markup renders that markup as text.
import { renderToString } from 'preact-render-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BorderCheckResult } from '../api/borderCheck';
import { I18nProvider } from '../app/i18n';
import { initI18n } from '../i18n/i18n';
import { BorderResult } from './BorderResult';
import type { TFunction } from 'i18next';

const EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>';

const answer: BorderCheckResult = {
  databases: ['SLTD', 'NOMINAL', 'NOTICES'],
  mrz: {
    valid: true,
    format: 'TD3',
    problems: [],
    fields: {
      document_code: 'P',
      primary_identifier: EVIL,
      secondary_identifier: 'ANNA',
      document_number: 'L898902C3',
      issuing_state: { code: 'UTO', kind: 'specimen', name: EVIL, iso_country: null },
      nationality: { code: 'DEU', kind: 'iso3166', name: 'Germany', iso_country: 'DEU' },
      birth_date: { raw: '740812', date: '1974-08-12', year: 1974 },
      expiry_date: { raw: '120415', date: '2012-04-15', year: 2012 },
    },
  },
  document: { match: true, matches: [{ record: { id: 'rec_1', owner_country: 'FRA', fields: { note: EVIL } }, action: EVIL, hit: 'hit_1' }] },
  persons: [{ record: { id: 'rec_2', owner_country: 'DEU', fields: { name: EVIL, aliases: [EVIL] } }, action: EVIL, matched_by: 'name', score: 0.93 }],
  notices: [{ control_number: EVIL, kind: 'red', channel: 'notice', requesting_country: 'FRA', matched_by: 'name', action: EVIL }],
  actions: [{ database: 'NOMINAL', record: 'rec_2', owner_country: 'DEU', action: EVIL }],
  alert: true,
};

let t: TFunction;
beforeAll(async () => {
  t = await initI18n('en');
});

function render(result: BorderCheckResult): string {
  return renderToString(
    <I18nProvider lang="en" t={t}>
      <BorderResult result={result} onAgain={() => undefined} />
    </I18nProvider>,
  );
}

describe('BorderResult', () => {
  it('renders markup from the hub as text, never as elements', () => {
    const html = render(answer);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    // The record fields, the actions and the notice are all there, as text.
    expect(html.split('&lt;script>alert(1)').length - 1).toBeGreaterThanOrEqual(8);
  });

  it('puts the alert first when anything matched, and a plain answer when nothing did', () => {
    expect(render(answer)).toContain('role="alert"');
    const clear = render({ databases: ['SLTD'], document: { match: false }, persons: [], notices: [], actions: [], alert: false });
    expect(clear).not.toContain('role="alert"');
    expect(clear).toContain(t('result.clear'));
    expect(clear).toContain(t('result.docClear'));
  });
});
