// The public search: name in any script, nationality, requesting country, age. The search lives
// in the page's URL (bookmarkable, back button), and a page of results in the page; "more" adds
// the next. Without a query it lists the most recently published notices.
import { useLocation } from 'preact-iso';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useI18n } from '../app/i18n';
import { Field } from '../components/Field';
import { countryOptions } from '../i18n/countries';
import { formatNumber } from '../i18n/format';
import { PublicError, searchExtracts, type PublicExtract } from './api';
import { ExtractCard } from './ExtractCard';
import { BASE } from './paths';
import { errorWords } from './present';
import { apiQuery, EMPTY_FORM, formFromQuery, queryOf, validate, type FormProblems, type SearchForm } from './query';
import { RateLimited } from './RateLimited';

interface Results {
  query: string; // the query these results answer
  total: number;
  notices: PublicExtract[];
}

export function Search() {
  const { t, lang } = useI18n();
  const location = useLocation();
  const submitted = useMemo(() => formFromQuery(location.query), [location.query]);
  const [form, setForm] = useState<SearchForm>(submitted);
  const [problems, setProblems] = useState<FormProblems>({});
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<PublicError | null>(null);
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const countries = useMemo(() => countryOptions(lang), [lang]);
  const query = queryOf(submitted);
  // Results of an earlier query are never shown as the answer to this one (while it loads).
  const current = results?.query === query ? results : null;

  // The back button (or a link) changes the query: the form shows it again.
  useEffect(() => setForm(submitted), [submitted]);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    searchExtracts(apiQuery(submitted, 0), abort.signal)
      .then((answer) => setResults({ query, ...answer }))
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setResults(null);
        setError(e instanceof PublicError ? e : new PublicError(0, 'network'));
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [query, attempt]);

  const more = () => {
    if (!current) return;
    setLoading(true);
    searchExtracts(apiQuery(submitted, current.notices.length))
      .then((answer) => setResults({ query, total: answer.total, notices: [...current.notices, ...answer.notices] }))
      .catch((e: unknown) => setError(e instanceof PublicError ? e : new PublicError(0, 'network')))
      .finally(() => setLoading(false));
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const found = validate(form);
    setProblems(found);
    const first = Object.keys(found)[0];
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[name=${first}]`)?.focus();
      return;
    }
    const next = queryOf(form);
    if (next === query) setAttempt((a) => a + 1);
    else location.route(next ? `${BASE}?${next}` : BASE);
  };

  const set = (field: keyof SearchForm) => (e: Event) =>
    setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
  const problem = (field: keyof SearchForm) => (problems[field] ? t(`problems.${problems[field]}`) : null);
  const countrySelect = (field: 'nationality' | 'requesting_country', label: string) => (
    <Field label={label}>
      {({ id }) => (
        <select id={id} name={field} value={form[field]} onChange={set(field)}>
          <option value="">{t('search.anyCountry')}</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const ageInput = (field: 'age_min' | 'age_max', label: string) => (
    <Field label={label} error={problem(field)}>
      {({ id, describedBy, invalid }) => (
        <input id={id} name={field} type="text" inputMode="numeric" autoComplete="off" size={4}
          value={form[field]} onInput={set(field)} aria-invalid={invalid} aria-describedby={describedBy} />
      )}
    </Field>
  );

  return (
    <div class="public-search">
      <h1>{t('search.title')}</h1>
      <form ref={formRef} class="search-form" role="search" onSubmit={submit} noValidate>
        <Field label={t('search.name')} hint={t('search.nameHint')} error={problem('name')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} name="name" type="search" autoComplete="off" value={form.name} onInput={set('name')}
              aria-invalid={invalid} aria-describedby={describedBy} dir="auto" />
          )}
        </Field>
        <div class="search-row">
          {countrySelect('nationality', t('search.nationality'))}
          {countrySelect('requesting_country', t('search.requestingCountry'))}
        </div>
        <fieldset class="age-range">
          <legend>{t('search.age')}</legend>
          {ageInput('age_min', t('search.ageMin'))}
          {ageInput('age_max', t('search.ageMax'))}
        </fieldset>
        <div class="search-actions">
          <button type="submit" class="primary">
            {t('search.submit')}
          </button>
          {query && (
            <a class="button" href={BASE} onClick={() => { setForm(EMPTY_FORM); setProblems({}); }}>
              {t('search.clear')}
            </a>
          )}
        </div>
      </form>

      <section class="results-section" aria-labelledby="results-heading" aria-busy={loading}>
        <h2 id="results-heading">
          {!query ? t('search.recent') : current ? t('search.results', { count: current.total }) : t('search.searching')}
        </h2>
        <div aria-live="polite" role="status" class="results-status" data-testid="results-status">
          {loading && <p>{t('search.searching')}</p>}
          {!loading && error && error.status === 429 && (
            <RateLimited error={error} onRetry={() => setAttempt((a) => a + 1)} />
          )}
          {!loading && error && error.status !== 429 && <p class="error-box">{errorWords(t, error)}</p>}
          {!loading && !error && current && current.total === 0 && <p>{t('search.none')}</p>}
        </div>
        {current && current.notices.length > 0 && (
          <>
            <ul class="results" data-testid="results">
              {current.notices.map((n) => (
                <li key={n.id}>
                  <ExtractCard extract={n} />
                </li>
              ))}
            </ul>
            <p class="hint">
              {t('search.showing', { shown: formatNumber(current.notices.length, lang), total: formatNumber(current.total, lang) })}
            </p>
            {current.notices.length < current.total && (
              <button type="button" onClick={more} disabled={loading}>
                {t('search.more')}
              </button>
            )}
          </>
        )}
      </section>
    </div>
  );
}
