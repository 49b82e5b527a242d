// One of the NCB's records (/records/:db/:id): its fields, who may see it, its review date; its
// versions side by side with what each changed; and the owner's actions: edit, review (confirm it
// is still valid, with the next review date), cancel (with a reason, confirmed first: it stops
// matching at once).
import { useRoute } from 'preact-iso';
import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import { cancelRecord, getRecord, recordVersions, reviewRecord, type Restrictions, type StoredRecord } from '../api/records';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import { countryName } from '../i18n/countries';
import { formatDate, formatDateTime } from '../i18n/format';
import { useCatalogue, writable } from '../records/catalogue';
import { displayValue, fieldLabel, orderedFields } from '../records/labels';
import { versionRows } from '../records/versions';

export function RecordView() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { params } = useRoute();
  const db = params.db ?? '';
  const id = params.id ?? '';
  const { schemas } = useCatalogue();
  const schema = useMemo(() => (schemas ? writable(me, schemas).find((s) => s.code === db) : undefined), [schemas, me, db]);
  const [record, setRecord] = useState<StoredRecord | null>(null);
  const [versions, setVersions] = useState<StoredRecord[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [nextReview, setNextReview] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const headingId = useId();

  const load = () => {
    getRecord(db, id).then(setRecord).catch(setError);
    recordVersions(db, id).then(setVersions).catch(() => setVersions(null));
  };
  useEffect(load, [db, id]);

  if (error) return <ErrorBox error={error} />;
  if (!record) return <p role="status">{t('app.loading')}</p>;

  const whoMay = (r: Restrictions) => r.visibility === 'all' ? t('records.visibility_all')
    : t(r.visibility === 'only' ? 'records.onlyList' : 'records.exceptList', { countries: r.countries.map((c) => countryName(c, lang)).join(', ') });
  const r = record.restrictions;
  const who = whoMay(r);
  // Field words from the catalogue, also for a database this agency reads but does not write.
  const specs = schema?.fields ?? schemas?.find((s) => s.code === db)?.fields ?? [];
  const show = (name: string, value: unknown) => displayValue(t, lang, db, specs.find((f) => f.name === name), value);
  const rows = versions ? versionRows(versions, specs.map((f) => f.name), {
    show,
    status: (s) => t(`records.status.${s === 'cancelled' ? 'cancelled' : 'active'}`),
    restrictions: (x) => `${whoMay(x)}${x.frontline ? '' : ` · ${t('records.frontlineNo')}`}`,
    date: (d) => formatDate(d, lang),
  }) : [];

  const act = async (what: () => Promise<StoredRecord>, message: string) => {
    setActionError(null);
    try {
      setRecord(await what());
      setDone(message);
      setConfirming(false);
      recordVersions(db, id).then(setVersions).catch(() => undefined);
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <article class="record-view" aria-labelledby={headingId}>
      <p><a href={`/records/${db}`}>{t('records.backToList', { db })}</a></p>
      <h1 id={headingId}>{record.external_id ?? record.id}</h1>
      <p class="lead">
        {db} · {record.id} · {t('records.version', { n: record.version })} · <span data-testid="record-status">{t(`records.status.${record.status === 'cancelled' ? 'cancelled' : 'active'}`)}</span>
      </p>
      {done && <p class="notice" role="status">{done}</p>}
      <ErrorBox error={actionError} />
      <div class="cards">
        <section class="card" aria-labelledby="rv-fields">
          <h2 id="rv-fields">{t('records.fields')}</h2>
          <dl class="facts">
            {orderedFields(specs, record.fields ?? {}).map(([k, v]) => (
              <div class="fact" key={k} data-field={k}>
                <dt>{fieldLabel(t, db, k)}</dt>
                <dd dir="auto">{show(k, v)}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section class="card" aria-labelledby="rv-access">
          <h2 id="rv-access">{t('records.restrictions')}</h2>
          <p data-testid="record-visibility">{who}</p>
          <p>{r.frontline ? t('records.frontlineYes') : t('records.frontlineNo')}</p>
          <h3>{t('records.reviewDate')}</h3>
          <p data-testid="review-date">{record.review_date ? formatDate(record.review_date, lang) : ''}</p>
          {record.action && (<><h3>{t('records.action')}</h3><p class="action">{record.action}</p></>)}
          {record.cancel_reason && (<><h3>{t('records.cancelReason')}</h3><p>{record.cancel_reason}</p></>)}
          <p class="hint">{t('records.updatedBy', { when: formatDateTime(record.updated, lang), agency: record.changed_by ?? record.owner })}</p>
        </section>
      </div>

      {record.status === 'active' && schema && record.owner_country === me.agency.country && (
        <section class="card record-actions" aria-labelledby="rv-actions">
          <h2 id="rv-actions">{t('records.actions')}</h2>
          <p><a class="button" href={`/records/${db}/${id}/edit`}>{t('records.edit')}</a></p>
          <form class="inline-form" onSubmit={(e) => {
            e.preventDefault();
            void act(() => reviewRecord(db, id, record.version, nextReview || undefined), t('records.reviewed'));
          }}>
            <Field label={t('records.nextReview')} hint={t('records.reviewDateHint', { years: schema.review_years })}>
              {({ id: fid, describedBy }) => (
                <input id={fid} name="next_review" type="date" value={nextReview} aria-describedby={describedBy}
                  onInput={(e) => setNextReview(e.currentTarget.value)} />
              )}
            </Field>
            <button type="submit">{t('records.reviewNow')}</button>
          </form>
          {!confirming && <button type="button" class="danger" onClick={() => setConfirming(true)}>{t('records.cancel')}</button>}
          {confirming && (
            <form class="confirm" data-testid="cancel-confirm" onSubmit={(e) => {
              e.preventDefault();
              if (!reason.trim()) {
                setReasonMissing(true);
                return;
              }
              void act(() => cancelRecord(db, id, record.version, reason.trim()), t('records.cancelled'));
            }}>
              <p role="alert">{t('records.cancelWarning')}</p>
              <Field label={t('records.cancelReason')} error={reasonMissing ? t('records.problem.required') : null}>
                {({ id: fid, describedBy, invalid }) => (
                  <textarea id={fid} name="reason" rows={2} value={reason} aria-invalid={invalid} aria-describedby={describedBy}
                    onInput={(e) => setReason(e.currentTarget.value)} />
                )}
              </Field>
              <button type="submit" class="danger">{t('records.confirmCancel')}</button>
              <button type="button" onClick={() => setConfirming(false)}>{t('records.keep')}</button>
            </form>
          )}
        </section>
      )}

      {versions && versions.length > 0 && (
        <section aria-labelledby="rv-versions" class="versions">
          <h2 id="rv-versions">{t('records.versions')}</h2>
          <p class="hint">{t('records.versionsHint')}</p>
          <div class="table-scroll">
            <table class="messages" data-testid="versions">
              <thead>
                <tr>
                  <th scope="col">{t('records.col.field')}</th>
                  {versions.map((v) => (
                    <th scope="col" key={v.version}>
                      {t('records.version', { n: v.version })}
                      <br />
                      <span class="hint">{formatDateTime(v.updated, lang)}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.own ? '@' : ''}${row.key}`}>
                    <th scope="row">{row.own ? t(`records.attr.${row.key}`) : fieldLabel(t, db, row.key)}</th>
                    {row.cells.map((c, i) => (
                      <td key={i} class={c.changed ? 'changed' : undefined} data-changed={c.changed ? 'true' : undefined} dir="auto">
                        {c.text}
                        {c.changed && <span class="sr-only"> {t('records.changedHere')}</span>}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </article>
  );
}
