// Reads an MRZ as a document reader types it (docs/mrz.md): the shape and format from the line
// count, the line lengths and the first letter, then every check digit of the format. It runs
// on each keystroke to name and mark the failing field before anything is sent; the hub reads
// the MRZ again and is the authority (dates, sex, country codes and names are its to judge).
import { checkDigit } from './checkDigit';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B';
export type MrzField =
  | 'document_code' | 'issuing_state' | 'document_number' | 'nationality' | 'birth_date' | 'sex'
  | 'expiry_date' | 'personal_number' | 'optional_data' | 'composite' | 'name';

export interface MrzProblem {
  code: 'mrz_empty' | 'mrz_too_large' | 'mrz_bad_character' | 'mrz_line_count' | 'mrz_line_length'
    | 'mrz_unknown_format' | 'mrz_check_digit';
  field?: MrzField;
  line?: number; // 1-based
  column?: number; // 1-based
  expected?: string;
  found?: string;
}

// Where a field lies, to mark it: line and first column (1-based), its length.
export interface MrzSpan { field: MrzField; line: number; column: number; length: number }

export interface MrzReading {
  lines: string[];
  format: MrzFormat | null;
  spans: MrzSpan[];
  problems: MrzProblem[];
}

export const MAX_BYTES = 256;

export function normalise(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(/\r?\n/).map((l) => l.replace(/^[ \t]+|[ \t]+$/g, '').toUpperCase());
}

export function readMrz(text: string): MrzReading {
  const lines = normalise(text);
  const none = (problems: MrzProblem[]): MrzReading => ({ lines, format: null, spans: [], problems });
  if (new TextEncoder().encode(text).length > MAX_BYTES) {
    return none([{ code: 'mrz_too_large', expected: String(MAX_BYTES) }]);
  }
  if (lines.length === 0) return none([{ code: 'mrz_empty' }]);
  const bad = badCharacters(lines);
  if (bad.length > 0) return none(bad);
  if (lines.length < 2 || lines.length > 3) {
    return none([{ code: 'mrz_line_count', expected: '2 or 3', found: String(lines.length) }]);
  }
  const lengths = lineLengthProblems(lines);
  if (lengths.length > 0) return none(lengths);
  const format = formatOf(lines);
  if (!format) {
    const width = lines[0]?.length ?? 0;
    const expected = lines.length === 3 ? 'A, C, I' : width === 36 ? 'A, C, I, V' : 'P, V';
    return none([{ code: 'mrz_unknown_format', line: 1, column: 1, expected, found: lines[0]?.[0] ?? '' }]);
  }
  const layout = format === 'TD1' ? td1(lines) : twoLine(lines, format);
  return { lines, format, spans: layout.spans, problems: layout.problems };
}

function badCharacters(lines: string[]): MrzProblem[] {
  const out: MrzProblem[] = [];
  lines.forEach((line, i) => {
    for (let c = 0; c < line.length && out.length < 10; c++) {
      const ch = line[c] ?? '';
      if (!/[A-Z0-9<]/.test(ch)) out.push({ code: 'mrz_bad_character', line: i + 1, column: c + 1, found: ch });
    }
  });
  return out;
}

function lineLengthProblems(lines: string[]): MrzProblem[] {
  const out: MrzProblem[] = [];
  const first = lines[0]?.length ?? 0;
  lines.forEach((line, i) => {
    let expected: string;
    if (lines.length === 3) expected = '30';
    else if (i > 0 && (first === 36 || first === 44)) expected = String(first);
    else expected = '36 or 44';
    if (!expected.split(' or ').includes(String(line.length))) {
      out.push({ code: 'mrz_line_length', line: i + 1, expected, found: String(line.length) });
    }
  });
  return out;
}

function formatOf(lines: string[]): MrzFormat | null {
  const letter = lines[0]?.[0] ?? '';
  const width = lines[0]?.length;
  if (lines.length === 3) return 'ACI'.includes(letter) ? 'TD1' : null;
  if (width === 36) return 'ACI'.includes(letter) ? 'TD2' : letter === 'V' ? 'MRV-B' : null;
  if (letter === 'P') return 'TD3';
  return letter === 'V' ? 'MRV-A' : null;
}

interface Layout { spans: MrzSpan[]; problems: MrzProblem[] }

// Text of a 1-based, inclusive column range of a line.
function cols(line: string, from: number, to: number): string {
  return line.slice(from - 1, to);
}

// Verifies one check digit; `fillerAllowed` when the standard lets a < stand in its place.
function verify(problems: MrzProblem[], field: MrzField, line: number, column: number,
  data: string, printed: string, fillerAllowed = false): void {
  if (printed === '<' && fillerAllowed) return;
  const expected = String(checkDigit(data) ?? '');
  if (printed !== expected) problems.push({ code: 'mrz_check_digit', field, line, column, expected, found: printed });
}

function twoLine(lines: string[], format: MrzFormat): Layout {
  const [l1 = '', l2 = ''] = lines;
  const width = l1.length;
  const spans: MrzSpan[] = [
    { field: 'document_code', line: 1, column: 1, length: 2 },
    { field: 'issuing_state', line: 1, column: 3, length: 3 },
    { field: 'name', line: 1, column: 6, length: width - 5 },
    { field: 'document_number', line: 2, column: 1, length: 10 },
    { field: 'nationality', line: 2, column: 11, length: 3 },
    { field: 'birth_date', line: 2, column: 14, length: 7 },
    { field: 'sex', line: 2, column: 21, length: 1 },
    { field: 'expiry_date', line: 2, column: 22, length: 7 },
  ];
  const problems: MrzProblem[] = [];
  verify(problems, 'document_number', 2, 10, cols(l2, 1, 9), cols(l2, 10, 10));
  verify(problems, 'birth_date', 2, 20, cols(l2, 14, 19), cols(l2, 20, 20));
  verify(problems, 'expiry_date', 2, 28, cols(l2, 22, 27), cols(l2, 28, 28));
  if (format === 'TD3') {
    spans.push({ field: 'personal_number', line: 2, column: 29, length: 15 });
    spans.push({ field: 'composite', line: 2, column: 44, length: 1 });
    const personal = cols(l2, 29, 42);
    verify(problems, 'personal_number', 2, 43, personal, cols(l2, 43, 43), /^[<0]*$/.test(personal));
    verify(problems, 'composite', 2, 44, cols(l2, 1, 10) + cols(l2, 14, 20) + cols(l2, 22, 43), cols(l2, 44, 44));
  } else if (format === 'TD2') {
    spans.push({ field: 'optional_data', line: 2, column: 29, length: 7 });
    spans.push({ field: 'composite', line: 2, column: 36, length: 1 });
    verify(problems, 'composite', 2, 36, cols(l2, 1, 10) + cols(l2, 14, 20) + cols(l2, 22, 35), cols(l2, 36, 36));
  } else {
    spans.push({ field: 'optional_data', line: 2, column: 29, length: width - 28 });
  }
  return { spans, problems: problems.sort(byPosition) };
}

function td1(lines: string[]): Layout {
  const [l1 = '', l2 = ''] = lines;
  const spans: MrzSpan[] = [
    { field: 'document_code', line: 1, column: 1, length: 2 },
    { field: 'issuing_state', line: 1, column: 3, length: 3 },
    { field: 'document_number', line: 1, column: 6, length: 10 },
    { field: 'optional_data', line: 1, column: 16, length: 15 },
    { field: 'birth_date', line: 2, column: 1, length: 7 },
    { field: 'sex', line: 2, column: 8, length: 1 },
    { field: 'expiry_date', line: 2, column: 9, length: 7 },
    { field: 'nationality', line: 2, column: 16, length: 3 },
    { field: 'optional_data', line: 2, column: 19, length: 11 },
    { field: 'composite', line: 2, column: 30, length: 1 },
    { field: 'name', line: 3, column: 1, length: 30 },
  ];
  const problems: MrzProblem[] = [];
  const number = cols(l1, 6, 14);
  const printed = cols(l1, 15, 15);
  // An extended number: its first 9 characters, < in column 15, the rest in the optional data
  // followed by the check digit over the whole number (docs/mrz.md).
  const extension = /^[A-Z0-9]*/.exec(cols(l1, 16, 30))?.[0] ?? '';
  if (printed === '<' && !number.includes('<') && extension.length >= 2) {
    const column = 16 + extension.length - 1;
    verify(problems, 'document_number', 1, column, number + extension.slice(0, -1), extension.slice(-1));
  } else {
    verify(problems, 'document_number', 1, 15, number, printed);
  }
  verify(problems, 'birth_date', 2, 7, cols(l2, 1, 6), cols(l2, 7, 7));
  verify(problems, 'expiry_date', 2, 15, cols(l2, 9, 14), cols(l2, 15, 15));
  verify(problems, 'composite', 2, 30, cols(l1, 6, 30) + cols(l2, 1, 7) + cols(l2, 9, 15) + cols(l2, 19, 29), cols(l2, 30, 30));
  return { spans, problems: problems.sort(byPosition) };
}

function byPosition(a: MrzProblem, b: MrzProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
