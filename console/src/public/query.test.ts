import { describe, expect, it } from 'vitest';
import { ageOn, apiQuery, EMPTY_FORM, formFromQuery, queryOf, validate } from './query';

describe('the public search form', () => {
  it('puts only the filled fields in the query, trimmed, and reads them back', () => {
    const form = { ...EMPTY_FORM, name: '  يوسف حداد ', nationality: 'FRA', age_max: '18' };
    const q = queryOf(form);
    expect(q).toBe('name=%D9%8A%D9%88%D8%B3%D9%81+%D8%AD%D8%AF%D8%A7%D8%AF&nationality=FRA&age_max=18');
    expect(formFromQuery(Object.fromEntries(new URLSearchParams(q)))).toEqual({ ...form, name: 'يوسف حداد' });
    expect(queryOf(EMPTY_FORM)).toBe('');
  });

  it('asks the API for a page of 20 from an offset', () => {
    expect(apiQuery({ ...EMPTY_FORM, requesting_country: 'DEU' }, 0)).toBe('requesting_country=DEU&limit=20');
    expect(apiQuery(EMPTY_FORM, 40)).toBe('limit=20&offset=40');
  });

  it('refuses ages that are not whole years in 0..130, and a range upside down', () => {
    expect(validate({ ...EMPTY_FORM, age_min: '12', age_max: '30' })).toEqual({});
    expect(validate({ ...EMPTY_FORM, age_min: 'ten' })).toEqual({ age_min: 'age_not_number' });
    expect(validate({ ...EMPTY_FORM, age_max: '131' })).toEqual({ age_max: 'age_not_number' });
    expect(validate({ ...EMPTY_FORM, age_min: '-1' })).toEqual({ age_min: 'age_not_number' });
    expect(validate({ ...EMPTY_FORM, age_min: '40', age_max: '30' })).toEqual({ age_max: 'age_order' });
  });

  it('counts the name in UTF-8 bytes, as the API does (200 at most)', () => {
    expect(validate({ ...EMPTY_FORM, name: 'a'.repeat(200) })).toEqual({});
    expect(validate({ ...EMPTY_FORM, name: 'ب'.repeat(101) })).toEqual({ name: 'name_too_long' });
  });

  it('gives the age in whole years from a full or partial date of birth', () => {
    const today = new Date('2026-12-07T10:00:00Z');
    expect(ageOn('2013-09-04', today)).toBe(13);
    expect(ageOn('2013-12-08', today)).toBe(12);
    expect(ageOn('2013-12-07', today)).toBe(13);
    expect(ageOn('2013', today)).toBe(12); // born some time in 2013: at least 12
    expect(ageOn('2013-11', today)).toBe(13);
    expect(ageOn('not a date', today)).toBeNull();
    expect(ageOn(undefined, today)).toBeNull();
    expect(ageOn('2030-01-01', today)).toBeNull();
  });
});
