// The public search form and its URL: what was typed becomes the page's query string (so a
// search can be bookmarked, shared and reached with the back button) and the API's; what cannot
// be sent is refused here, field by field, before anything leaves the browser.

export interface SearchForm {
  name: string;
  nationality: string;
  requesting_country: string;
  age_min: string;
  age_max: string;
}

export const EMPTY_FORM: SearchForm = { name: '', nationality: '', requesting_country: '', age_min: '', age_max: '' };
export const PAGE_SIZE = 20;
const MAX_NAME_BYTES = 200;
const MAX_AGE = 130;
const FIELDS = Object.keys(EMPTY_FORM) as (keyof SearchForm)[];

export type FormProblem = 'name_too_long' | 'age_not_number' | 'age_order';
export type FormProblems = Partial<Record<keyof SearchForm, FormProblem>>;

export function formFromQuery(query: Record<string, string>): SearchForm {
  const form = { ...EMPTY_FORM };
  for (const f of FIELDS) form[f] = query[f] ?? '';
  return form;
}

function age(value: string): number | null {
  return /^\d{1,3}$/.test(value) && Number(value) <= MAX_AGE ? Number(value) : null;
}

export function validate(form: SearchForm): FormProblems {
  const problems: FormProblems = {};
  if (new TextEncoder().encode(form.name.trim()).length > MAX_NAME_BYTES) problems.name = 'name_too_long';
  for (const f of ['age_min', 'age_max'] as const) {
    if (form[f].trim() !== '' && age(form[f].trim()) === null) problems[f] = 'age_not_number';
  }
  const min = age(form.age_min.trim());
  const max = age(form.age_max.trim());
  if (!problems.age_min && !problems.age_max && min !== null && max !== null && min > max) {
    problems.age_max = 'age_order';
  }
  return problems;
}

// The query string of a valid form (empty fields left out), in a fixed order.
export function queryOf(form: SearchForm): string {
  const params = new URLSearchParams();
  for (const f of FIELDS) {
    const value = form[f].trim();
    if (value) params.set(f, value);
  }
  return params.toString();
}

// The API's query for a page of results: the form's, plus limit and offset.
export function apiQuery(form: SearchForm, offset: number): string {
  const params = new URLSearchParams(queryOf(form));
  params.set('limit', String(PAGE_SIZE));
  if (offset > 0) params.set('offset', String(offset));
  return params.toString();
}

// Age in whole years on `today` from a date of birth of YYYY, YYYY-MM or YYYY-MM-DD; a year
// alone or a month gives the lower bound (the person may be a year older).
export function ageOn(dateOfBirth: unknown, today: Date): number | null {
  if (typeof dateOfBirth !== 'string') return null;
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(dateOfBirth);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 12;
  const day = m[3] ? Number(m[3]) : 31;
  let years = today.getUTCFullYear() - year;
  const before = today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  if (before) years--;
  return years >= 0 ? years : null;
}
