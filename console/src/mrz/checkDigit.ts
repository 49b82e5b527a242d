// ICAO Doc 9303 Part 3, 4.9: weights 7, 3, 1 repeated; 0-9 count their value, A-Z 10-35,
// the filler < 0; the check digit is the sum modulo 10. Null for a character outside A-Z, 0-9, <.
const WEIGHTS = [7, 3, 1] as const;

export function charValue(c: string): number | null {
  if (c === '<') return 0;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return code - 55; // A-Z: 10-35
  return null;
}

export function checkDigit(data: string): number | null {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = charValue(data[i] ?? '');
    if (v === null) return null;
    sum += v * (WEIGHTS[i % 3] ?? 1);
  }
  return sum % 10;
}
