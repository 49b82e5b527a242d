// Records (owners): the databases the agency may write, and for one of them the NCB's own
// records (the export, GET /v1/records/{db}), filtered here by text, status and review date;
// the ways to create, import and export.
import { useRoute } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { listOwnRecords, type StoredRecord } from '../api/records';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import { formatDate, formatDateTime } from '../i18n/format';
import { dayFromNow, summary, useCatalogue, writable } from '../records/catalogue';
import { toJsonLines } from '../records/importFile';
import { databaseTitle, displayValue } from '../records/labels';

type Status = 'active' | 'cancelled' | 'any';
type Review = 'any' | 'due' | 'past';

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Records() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { params } = useRoute();
  const { schemas, error: catalogueError } = useCatalogue();
  const mine = useMemo(() => (schemas ? writable(me, schemas) : []), [schemas, me]);
  const db = params.db ?? mine[0]?.code ?? '';
  const schema = mine.find((s) => s.code === db);
  const [records, setRecords] = useState<StoredRecord[] | null>(null);
  const [loaded, setLoaded] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<Status>('active');
  const [review, setReview] = useState<Review>('any');

  useEffect(() => {
    if (!schema) return;
    setRecords(null);
    setError(null);
    setLoaded(0);
    listOwnRecords(schema.code, setLoaded).then(setRecords).catch(setError);
  }, [schema?.code]);

  const shown = useMemo(() => {
    if (!records) return [];
    const needle = text.trim().toLowerCase();
    const soon = dayFromNow(30);
    const today = dayFromNow(0);
    return records.filter((r) => {
      if (status !== 'any' && r.status !== status) return false;
      if (review === 'due' && !(r.review_date && r.review_date <= soon)) return false;
      if (review === 'past' && !(r.review_date && r.review_date < today)) return false;
      if (!needle) return true;
      // The codes as stored, and the words shown for them ("passport", "Passeport").
      const shownValues = schema ? schema.fields.map((f) => displayValue(t, lang, schema.code, f, r.fields?.[f.name])).join(' ') : '';
      return `${r.id} ${r.external_id ?? ''} ${JSON.stringify(r.fields ?? {})} ${shownValues}`.toLowerCase().includes(needle);
    });
  }, [records, text, status, review, lang]);

  if (catalogueError) return <ErrorBox error={catalogueError} />;
  if (!schemas) return <p role="status">{t('app.loading')}</p>;
  if (mine.length === 0) return <p class="notice">{t('records.noDatabase')}</p>;

  return (
    <div class="records">
      <h1>{t('records.title')}</h1>
      <nav aria-label={t('records.databases')}>
        <ul class="db-tabs">
          {mine.map((s) => (
            <li key={s.code}>
              <a href={`/records/${s.code}`} aria-current={s.code === db ? 'page' : undefined}>
                {s.code}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {!schema && <p class="notice">{t('app.notAllowed')}</p>}
      {schema && (
        <section aria-labelledby="db-title">
          <h2 id="db-title">{schema.code}: {databaseTitle(t, schema)}</h2>
          <p class="toolbar">
            <a class="button primary" href={`/records/${schema.code}/new`}>{t('records.new')}</a>
            <a class="button" href={`/records/${schema.code}/import`}>{t('records.import')}</a>
            <button type="button" disabled={!records} data-testid="export"
              onClick={() => download(`${schema.code}.jsonl`, toJsonLines(records ?? []), 'application/x-ndjson')}>
              {t('records.export')}
            </button>
          </p>
          <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <Field label={t('records.filterText')}>
              {({ id }) => <input id={id} name="q" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />}
            </Field>
            <Field label={t('records.filterStatus')}>
              {({ id }) => (
                <select id={id} name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as Status)}>
                  <option value="active">{t('records.status.active')}</option>
                  <option value="cancelled">{t('records.status.cancelled')}</option>
                  <option value="any">{t('records.status.any')}</option>
                </select>
              )}
            </Field>
            <Field label={t('records.filterReview')}>
              {({ id }) => (
                <select id={id} name="review" value={review} onChange={(e) => setReview(e.currentTarget.value as Review)}>
                  <option value="any">{t('records.review.any')}</option>
                  <option value="due">{t('records.review.due')}</option>
                  <option value="past">{t('records.review.past')}</option>
                </select>
              )}
            </Field>
          </form>
          <ErrorBox error={error} />
          {!records && !error && <p role="status">{t('records.loading', { n: loaded })}</p>}
          {records && (
            <>
              <p role="status" data-testid="record-count">{t('records.count', { shown: shown.length, total: records.length })}</p>
              <table class="messages records-table">
                <thead>
                  <tr>
                    <th scope="col">{t('records.col.record')}</th>
                    <th scope="col">{t('records.col.summary')}</th>
                    <th scope="col">{t('records.col.status')}</th>
                    <th scope="col">{t('records.col.review')}</th>
                    <th scope="col">{t('records.col.updated')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.slice(0, 500).map((r) => (
                    <tr key={r.id} data-testid="record-row">
                      <td><a href={`/records/${schema.code}/${r.id}`}>{r.external_id ?? r.id}</a></td>
                      <td dir="auto">{r.damaged ? t('records.damaged') : summary(schema, r.fields ?? {}, (n, v) => displayValue(t, lang, schema.code, schema.fields.find((f) => f.name === n), v))}</td>
                      <td class="state">{t(`records.status.${r.status === 'cancelled' ? 'cancelled' : 'active'}`)}</td>
                      <td class="state">{r.review_date ? formatDate(r.review_date, lang) : ''}</td>
                      <td>{r.updated ? formatDateTime(r.updated, lang) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {shown.length > 500 && <p class="hint">{t('records.firstOnly', { n: 500 })}</p>}
            </>
          )}
        </section>
      )}
    </div>
  );
}
