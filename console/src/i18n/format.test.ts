import { describe, expect, it } from 'vitest';
import { countryName } from './countries';
import { formatDate, formatDateTime, formatNumber } from './format';

describe('formatting for the language', () => {
  it('names countries from the data set in each language', () => {
    expect(countryName('FRA', 'en')).toBe('France');
    expect(countryName('DEU', 'fr')).toBe('Allemagne');
    expect(countryName('DEU', 'es')).toBe('Alemania');
    expect(countryName('DEU', 'ar')).toBe('ألمانيا');
  });

  it('keeps a code the data set does not know (ICAO-only codes)', () => {
    expect(countryName('UTO', 'en')).toBe('UTO');
    expect(countryName(null, 'en')).toBe('');
  });

  it('formats numbers and dates with Intl, Latin digits in Arabic too', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(1234567, 'fr')).toMatch(/^1\s234\s567$/u);
    expect(formatNumber(12, 'ar')).toBe('12');
    expect(formatDate('1984-07-12', 'en')).toBe('Jul 12, 1984');
    expect(formatDate('1984-07-12', 'fr')).toBe('12 juil. 1984');
    expect(formatDate('1984-07', 'es')).toBe('julio de 1984');
    expect(formatDate('1984', 'ar')).toBe('1984');
    expect(formatDateTime('2026-11-28T09:24:17.123Z', 'en')).toMatch(/2026/);
  });
});
