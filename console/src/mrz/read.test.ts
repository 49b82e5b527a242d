// The MRZ reader on the specimens of docs/mrz.md and on the seed corpus of the hub's own MRZ
// fuzz target (tests/fuzz/corpus/mrz), so that the console and the hub agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDigit } from './checkDigit';
import { readMrz } from './read';

const TD3 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
const corpus = (name: string) =>
  readFileSync(new URL(`../../../tests/fuzz/corpus/mrz/${name}`, import.meta.url), 'latin1');
const digits = (text: string) =>
  readMrz(text).problems.map((p) => [p.code, p.field, p.line, p.column, p.expected, p.found]);

describe('checkDigit (ICAO 9303 7-3-1)', () => {
  it('computes the digits of the Doc 9303 specimen passport', () => {
    expect(checkDigit('L898902C3')).toBe(6);
    expect(checkDigit('740812')).toBe(2);
    expect(checkDigit('120415')).toBe(9);
    expect(checkDigit('ZE184226B<<<<<')).toBe(1);
    // the composite: columns 1-10, 14-20 and 22-43 of line 2
    expect(checkDigit('L898902C36' + '7408122' + '1204159ZE184226B<<<<<1')).toBe(0);
  });

  it('counts < as 0 and letters as 10 to 35', () => {
    expect(checkDigit('<<<<<<')).toBe(0);
    expect(checkDigit('A')).toBe(0); // 10 * 7 = 70
    expect(checkDigit('Z')).toBe(5); // 35 * 7 = 245
    expect(checkDigit('a')).toBeNull();
  });
});

describe('readMrz', () => {
  it('reads the specimen passport (TD3) with every check digit right', () => {
    const r = readMrz(TD3);
    expect(r.format).toBe('TD3');
    expect(r.problems).toEqual([]);
  });

  it('names the document number and the composite when one digit is wrong (docs/mrz.md)', () => {
    expect(digits(TD3.replace('C36UTO', 'C35UTO'))).toEqual([
      ['mrz_check_digit', 'document_number', 2, 10, '6', '5'],
      ['mrz_check_digit', 'composite', 2, 44, '3', '0'],
    ]);
  });

  it('reads the demo network\'s passports (src/apps/ncbnet/demo_records_data.cc)', () => {
    expect(readMrz('P<RUSVOLKOV<<ALEKSANDR<SERGEEVICH<<<<<<<<<<<\n7542139861RUS8407122M3104150<<<<<<<<<<<<<<<4').problems).toEqual([]);
    expect(readMrz('P<FRAMARTIN<<CLAIRE<<<<<<<<<<<<<<<<<<<<<<<<<\n21FV831047FRA9103052F3309173<<<<<<<<<<<<<<<8').problems).toEqual([]);
  });

  it('tolerates what readers send: CR/LF, spaces around lines, lower case', () => {
    expect(readMrz(corpus('td3_crlf_lower_spaces')).problems).toEqual([]);
  });

  for (const [name, format] of [
    ['td1_specimen', 'TD1'], ['td1_extended_number', 'TD1'], ['td1_gbn', 'TD1'],
    ['td2_specimen', 'TD2'], ['td2_unpo', 'TD2'], ['mrva_specimen', 'MRV-A'],
    ['mrvb_specimen', 'MRV-B'], ['td3_specimen', 'TD3'], ['td3_filler_personal_check', 'TD3'],
    ['td3_germany_no_personal', 'TD3'], ['td3_partial_birth', 'TD3'], ['td3_unknown_birth', 'TD3'],
  ] as const) {
    it(`accepts every check digit of ${name} (${format})`, () => {
      const r = readMrz(corpus(name));
      expect(r.format).toBe(format);
      expect(r.problems).toEqual([]);
    });
  }

  it('finds the wrong digits of the corpus, field by field', () => {
    expect(digits(corpus('td3_bad_composite'))).toEqual([['mrz_check_digit', 'composite', 2, 44, '0', '9']]);
    expect(digits(corpus('td1_bad_composite'))).toEqual([['mrz_check_digit', 'composite', 2, 30, '9', '0']]);
    expect(digits(corpus('td2_bad_expiry'))[0]).toEqual(['mrz_check_digit', 'expiry_date', 2, 28, '9', '0']);
  });

  it('refuses a < in place of a check digit where the standard does not allow it', () => {
    expect(digits(corpus('td1_missing_check'))[0]).toEqual(['mrz_check_digit', 'document_number', 1, 15, '7', '<']);
    expect(digits(TD3.replace('7408122F', '740812<F'))[0]).toEqual(['mrz_check_digit', 'birth_date', 2, 20, '2', '<']);
  });

  it('reports structural problems in the hub order, without a format', () => {
    expect(readMrz('').problems[0]?.code).toBe('mrz_empty');
    expect(readMrz(corpus('oversized')).problems[0]?.code).toBe('mrz_too_large');
    expect(readMrz('P<UTO-ERIKSSON').problems[0]).toMatchObject({ code: 'mrz_bad_character', line: 1, column: 6, found: '-' });
    expect(readMrz('P<UTOERIKSSON').problems[0]).toMatchObject({ code: 'mrz_line_count', found: '1' });
    expect(readMrz(corpus('line_length')).problems).toEqual([
      { code: 'mrz_line_length', line: 2, expected: '44', found: '43' },
    ]);
    expect(readMrz(corpus('unknown_format')).problems[0]).toMatchObject({ code: 'mrz_unknown_format', found: 'X' });
    expect(readMrz(corpus('unknown_format')).format).toBeNull();
  });

  it('locates the fields it marks', () => {
    const r = readMrz(TD3);
    expect(r.spans.find((s) => s.field === 'document_number')).toEqual({ field: 'document_number', line: 2, column: 1, length: 10 });
    expect(r.spans.find((s) => s.field === 'composite')).toEqual({ field: 'composite', line: 2, column: 44, length: 1 });
  });
});
