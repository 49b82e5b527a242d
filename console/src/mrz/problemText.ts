// An MRZ problem in words, in the user's language: from the console's own reading or from the
// hub's refusal (the same codes, docs/mrz.md).
import i18next, { type TFunction } from 'i18next';

export interface ProblemLike {
  code: string;
  field?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  expected?: string | undefined;
  found?: string | undefined;
}

export function fieldName(t: TFunction, field: string | undefined): string {
  if (!field) return '';
  const key = `border.field.${field}`;
  return i18next.exists(key) ? t(key) : field;
}

export function problemText(t: TFunction, p: ProblemLike): string {
  const values = {
    field: fieldName(t, p.field),
    line: p.line ?? '',
    column: p.column ?? '',
    expected: p.expected ?? '',
    found: p.found ?? '',
  };
  const key = `border.problem.${p.code}`;
  if (i18next.exists(key)) return t(key, values);
  const general = i18next.exists(`errors.${p.code}`) ? t(`errors.${p.code}`) : t('errors.unknown', { code: p.code });
  return values.field ? `${general} (${values.field})` : general;
}
