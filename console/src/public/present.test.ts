import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { initI18nWith } from '../i18n/runtime';
import { PublicError, type PublicExtract } from './api';
import { catalogues } from './catalogues';
import { errorWords, facts, kindLabel, latinName, subjectName } from './present';

const EXTRACT: PublicExtract = {
  id: 'ntc_1', url: '/v1/public/notices/ntc_1', control_number: 'B-1/12-2026', kind: 'yellow',
  requesting_country: 'FRA', published: '2026-12-01T10:00:00Z', images: [{ seq: 1, media_type: 'image/png' }],
  name: 'يوسف حداد', name_latin: 'Youssef Haddad', sex: 'M', date_of_birth: '2010-05-02',
  nationalities: ['FRA', 'DZA'], place_of_disappearance: 'Lyon', eye_colour: 'brown',
};

beforeAll(async () => {
  await initI18nWith('en', catalogues);
});

describe('an extract as shown', () => {
  it('names the subject in the original script, the Latin name apart', () => {
    expect(subjectName(EXTRACT)).toBe('يوسف حداد');
    expect(latinName(EXTRACT)).toBe('Youssef Haddad');
    expect(subjectName({ ...EXTRACT, name: undefined, name_latin: undefined })).toBeNull();
  });

  it('lists the known fields in order with words, and keeps a field it does not know', () => {
    const t = i18next.t.bind(i18next);
    const shown = facts(t, 'en', EXTRACT).map((f) => [f.label, f.value]);
    expect(shown).toEqual([
      ['Name', 'يوسف حداد'],
      ['Name in Latin letters', 'Youssef Haddad'],
      ['Sex', 'Male'],
      ['Date of birth', 'May 2, 2010'],
      ['Nationality', 'France, Algeria'],
      ['Place of disappearance', 'Lyon'],
      ['eye_colour', 'brown'],
    ]);
    expect(kindLabel(t, 'yellow')).toBe('Missing');
    expect(kindLabel(t, 'green')).toBe('Notice (green)');
  });

  it('says the rate limit politely, with the wait when there is one', () => {
    const t = i18next.t.bind(i18next);
    expect(errorWords(t, new PublicError(429, 'rate_limited', 7))).toBe(
      'Many searches have come from your connection in a short time. Please wait 7 seconds and try again.');
    expect(errorWords(t, new PublicError(429, 'http_429', null))).toMatch(/wait a moment/);
    expect(errorWords(t, new PublicError(404, 'notice_not_found'))).toBe('This notice is not published, or no longer is.');
    expect(errorWords(t, new PublicError(500, 'internal'))).toMatch(/\(internal\)/);
  });
});
