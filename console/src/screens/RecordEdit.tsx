// Create or change a record (/records/:db/new, /records/:db/:id/edit) with a form generated from
// the database's schema: its fields, then who may see it (all members, only some countries, all
// but some; frontline terminals or not), the review date, the owner's instructions and, for a
// new record, the owner's own reference. Problems are shown on their fields before sending; a
// refusal of the hub is shown on the field it names. What was typed is kept.
import { useLocation, useRoute } from 'preact-iso';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import { createRecord, getRecord, updateRecord, type RecordInput, type Restrictions, type StoredRecord } from '../api/records';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { CountryPicker } from '../components/CountryPicker';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import { useCatalogue, writable } from '../records/catalogue';
import { FieldInput } from '../records/FieldInput';
import { emptyForm, fieldOfMessage, fromFields, toFields, type FormValues, type Problems } from '../records/schemaForm';

const OPEN: Restrictions = { visibility: 'all', countries: [], frontline: true };

export function RecordEdit() {
  const { t } = useI18n();
  const me = useMe();
  const { params } = useRoute();
  const { route } = useLocation();
  const { schemas, error: catalogueError } = useCatalogue();
  const schema = useMemo(() => (schemas ? writable(me, schemas).find((s) => s.code === params.db) : undefined), [schemas, me, params.db]);
  const editing = params.id !== undefined;
  const [record, setRecord] = useState<StoredRecord | null>(null);
  const [values, setValues] = useState<FormValues | null>(null);
  const [restrictions, setRestrictions] = useState<Restrictions>(OPEN);
  const [reviewDate, setReviewDate] = useState('');
  const [action, setAction] = useState('');
  const [externalId, setExternalId] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [hubProblem, setHubProblem] = useState<{ key: string; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const visId = useId();

  useEffect(() => {
    if (!schema) return;
    if (!editing) {
      setValues((v) => v ?? emptyForm(schema.fields));
      return;
    }
    getRecord(schema.code, params.id ?? '').then((r) => {
      setRecord(r);
      setValues(fromFields(schema.fields, r.fields ?? {}));
      setRestrictions(r.restrictions ?? OPEN);
      setReviewDate(r.review_date ?? '');
      setAction(r.action ?? '');
    }).catch(setError);
  }, [schema?.code, params.id]);

  if (catalogueError) return <ErrorBox error={catalogueError} />;
  if (!schemas) return <p role="status">{t('app.loading')}</p>;
  if (!schema) return <p class="notice">{t('app.notAllowed')}</p>;
  if (!values) return error ? <ErrorBox error={error} /> : <p role="status">{t('app.loading')}</p>;

  const problemText = (key: string): string | null => {
    if (hubProblem?.key === key) return hubProblem.text;
    const p = problems[key];
    return p ? t(`records.problem.${p.code}`, { max: p.max, min: p.min }) : null;
  };
  const restrictionProblem = hubProblem?.key === 'restrictions' ? hubProblem.text
    : restrictions.visibility !== 'all' && restrictions.countries.length === 0 && problems.restrictions ? t('records.problem.countriesNeeded') : null;

  const focusFirst = (keys: string[]) => {
    const first = keys[0];
    if (!first) return;
    setTimeout(() => {
      const el = form.current?.querySelector<HTMLElement>(`[name="${first}"], [data-field="${first.split('.')[0]}"] input, [data-testid="countries-${first}"] select`);
      el?.focus();
    }, 0);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setHubProblem(null);
    setError(null);
    const made = toFields(schema.fields, values);
    const found: Problems = { ...made.problems };
    if (restrictions.visibility !== 'all' && restrictions.countries.length === 0) found.restrictions = { code: 'required' };
    setProblems(found);
    if (Object.keys(found).length > 0) {
      focusFirst(Object.keys(found));
      return;
    }
    const input: RecordInput = {
      fields: made.fields,
      restrictions: restrictions.visibility === 'all' ? { ...restrictions, countries: [] } : restrictions,
    };
    if (action.trim()) input.action = action.trim();
    if (reviewDate) input.review_date = reviewDate;
    if (!editing && externalId.trim()) input.external_id = externalId.trim();
    if (editing && record?.external_id) input.external_id = record.external_id;
    setBusy(true);
    try {
      const saved = editing && record
        ? await updateRecord(schema.code, record.id, { ...input, version: record.version })
        : await createRecord(schema.code, input);
      route(`/records/${schema.code}/${saved.id}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const key = err.code === 'invalid_restrictions' ? 'restrictions'
          : err.code === 'record_exists' ? 'external_id' : fieldOfMessage(err.message);
        if (key) {
          setHubProblem({ key, text: errorText(t, err) });
          focusFirst([key]);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="record-edit">
      <p><a href={editing ? `/records/${schema.code}/${params.id}` : `/records/${schema.code}`}>{t('records.back')}</a></p>
      <h1>{editing ? t('records.editTitle', { db: schema.code }) : t('records.newTitle', { db: schema.code })}</h1>
      <form ref={form} onSubmit={(e) => void submit(e)} noValidate data-testid="record-form">
        <fieldset class="record-fields">
          <legend>{t('records.fields')}</legend>
          {schema.fields.map((spec) => (
            <FieldInput key={spec.name} db={schema.code} spec={spec} path={spec.name} value={values[spec.name] ?? ''}
              onChange={(v) => setValues({ ...values, [spec.name]: v })} problemText={problemText} />
          ))}
        </fieldset>
        <fieldset class="restrictions" data-testid="restrictions">
          <legend>{t('records.restrictions')}</legend>
          <div role="radiogroup" aria-labelledby={`${visId}-label`} class="side-switch">
            <p id={`${visId}-label`} class="hint">{t('records.visibility')}</p>
            {(['all', 'only', 'except'] as const).map((v) => (
              <label key={v}>
                <input type="radio" name="visibility" value={v} checked={restrictions.visibility === v}
                  onChange={() => setRestrictions({ ...restrictions, visibility: v })} />
                {t(`records.visibility_${v}`)}
              </label>
            ))}
          </div>
          {restrictions.visibility !== 'all' && (
            <CountryPicker name="restrictions" label={t(restrictions.visibility === 'only' ? 'records.onlyCountries' : 'records.exceptCountries')}
              hint={t('records.ownCountryAlways')} value={restrictions.countries} error={restrictionProblem}
              onChange={(countries) => setRestrictions({ ...restrictions, countries })} />
          )}
          <label class="check">
            <input type="checkbox" name="frontline" checked={restrictions.frontline}
              onChange={(e) => setRestrictions({ ...restrictions, frontline: e.currentTarget.checked })} />
            {t('records.frontline')}
          </label>
        </fieldset>
        <Field label={t('records.reviewDate')} hint={t('records.reviewDateHint', { years: schema.review_years })} error={problemText('review_date')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} name="review_date" type="date" value={reviewDate} aria-invalid={invalid} aria-describedby={describedBy}
              onInput={(e) => setReviewDate(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t('records.action')} hint={t('records.actionHint')}>
          {({ id, describedBy }) => (
            <textarea id={id} name="action" rows={3} value={action} aria-describedby={describedBy} dir="auto"
              onInput={(e) => setAction(e.currentTarget.value)} />
          )}
        </Field>
        {!editing && (
          <Field label={t('records.externalId')} hint={t('records.externalIdHint')} error={problemText('external_id')}>
            {({ id, describedBy, invalid }) => (
              <input id={id} name="external_id" type="text" value={externalId} aria-invalid={invalid} aria-describedby={describedBy}
                onInput={(e) => setExternalId(e.currentTarget.value)} />
            )}
          </Field>
        )}
        <ErrorBox error={error} />
        {Object.keys(problems).length > 0 && <p class="error-box" role="alert">{t('records.fixProblems', { n: Object.keys(problems).length })}</p>}
        <button type="submit" class="primary" disabled={busy}>{editing ? t('records.saveChanges') : t('records.create')}</button>
      </form>
    </div>
  );
}
