// The answer of a border check, on one page: the alert first, then the traveller as read, the
// document's status in SLTD, the persons and notices matched and what their owners ask.
// Everything shown is the hub's answer, as text.
import { useEffect, useRef } from 'preact/hooks';
import type { BorderCheckResult, CheckedRecord, NoticeMatch, RecordMatch } from '../api/borderCheck';
import { useI18n } from '../app/i18n';
import { countryName } from '../i18n/countries';
import { formatDate } from '../i18n/format';
import { useCatalogue } from '../records/catalogue';
import { displayValue, fieldLabel, orderedFields } from '../records/labels';

export function BorderResult({ result, onAgain }: { result: BorderCheckResult; onAgain: () => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div class="border-result">
      <h1 ref={heading} tabIndex={-1}>{t('result.title')}</h1>
      {result.alert ? (
        <div class="alert-banner" role="alert" data-testid="alert">
          <span class="alert-icon" aria-hidden="true">!</span>
          <p>{t('result.alert')}</p>
        </div>
      ) : (
        <div class="clear-banner" role="status" data-testid="clear">
          <p>{t('result.clear')}</p>
          <p class="hint">{t('result.clearNote')}</p>
        </div>
      )}
      <p>{t('result.databases', { list: result.databases.join(', ') })}</p>
      <Traveller result={result} />
      <DocumentStatus result={result} />
      <Persons persons={result.persons ?? []} />
      <Notices notices={result.notices} />
      <Actions actions={result.actions} />
      <button type="button" class="primary" onClick={onAgain}>{t('border.newCheck')}</button>
    </div>
  );
}

function Traveller({ result }: { result: BorderCheckResult }) {
  const { t, lang } = useI18n();
  const f = result.mrz?.fields;
  if (!f) return null;
  const name = [f.primary_identifier, f.secondary_identifier].filter(Boolean).join(', ');
  const country = (c?: { code: string; iso_country: string | null; name: string | null }) =>
    c ? `${countryName(c.iso_country ?? c.code, lang)} (${c.code})` : '';
  const date = (d?: { raw: string; date: string | null }) => (d?.date ? formatDate(d.date, lang) : d?.raw ?? '');
  return (
    <section class="card" aria-labelledby="traveller">
      <h2 id="traveller">{t('result.traveller')}</h2>
      <dl class="facts">
        <dt>{t('result.name')}</dt><dd>{name}</dd>
        <dt>{t('result.document')}</dt>
        <dd>{t('result.documentLine', { code: f.document_code ?? '', number: f.document_number ?? '', state: country(f.issuing_state) })}</dd>
        <dt>{t('result.born')}</dt><dd>{date(f.birth_date)}</dd>
        <dt>{t('result.nationality')}</dt><dd>{country(f.nationality)}</dd>
        <dt>{t('result.expiry')}</dt><dd>{date(f.expiry_date)}</dd>
      </dl>
    </section>
  );
}

function DocumentStatus({ result }: { result: BorderCheckResult }) {
  const { t } = useI18n();
  const d = result.document;
  if (!d) return null;
  let body;
  if (d.match) {
    body = (
      <>
        <p class="match-text" data-testid="document-match">{t('result.docMatch')}</p>
        {(d.matches ?? []).map((m, i) => <Match key={i} match={m} />)}
      </>
    );
  } else if (d.checked === false) {
    body = <p>{t('result.docNotChecked', { reason: d.reason ?? '' })}</p>;
  } else if (d.error) {
    const code = (d.error as { code?: string }).code ?? '';
    body = <p>{t('result.docError', { reason: code })}</p>;
  } else {
    body = <p data-testid="document-clear">{t('result.docClear')}</p>;
  }
  return (
    <section class={d.match ? 'card card-alert' : 'card'} aria-labelledby="doc-status">
      <h2 id="doc-status">{t('result.docStatus')}</h2>
      {body}
    </section>
  );
}

function Persons({ persons }: { persons: RecordMatch[] }) {
  const { t } = useI18n();
  return (
    <section class={persons.length ? 'card card-alert' : 'card'} aria-labelledby="persons">
      <h2 id="persons">{t('result.persons')}</h2>
      {persons.length === 0 ? <p>{t('result.noPersons')}</p> : persons.map((m, i) => <Match key={i} match={m} />)}
    </section>
  );
}

function Match({ match }: { match: RecordMatch }) {
  const { t, lang } = useI18n();
  const r = match.record;
  return (
    <article class="match" data-testid="match">
      <p class="match-meta">
        {match.matched_by && <span>{t(`result.matchedBy.${match.matched_by}`)}</span>}
        {match.score !== undefined && <span>{t('result.score', { score: match.score.toFixed(2) })}</span>}
        {r?.owner_country && <span>{t('result.owner', { country: countryName(r.owner_country, lang) })}</span>}
      </p>
      {match.action && <p class="action">{match.action}</p>}
      {r && <RecordFields record={r} />}
      {match.hit && <p class="hint">{t('result.hit', { id: match.hit })}</p>}
    </article>
  );
}

function RecordFields({ record }: { record: CheckedRecord }) {
  const { t, lang } = useI18n();
  // The fields' words come from the catalogues by the record's database (labels.ts), in the
  // schema's order; until the catalogue has loaded, or for a database it lacks, as stored.
  const { schemas } = useCatalogue();
  const db = record.database ?? '';
  const specs = schemas?.find((s) => s.code === db)?.fields ?? [];
  const entries = orderedFields(specs, record.fields ?? {});
  return (
    <details class="record-fields">
      <summary>{t('result.record', { id: record.id ?? '' })}</summary>
      <dl class="facts">
        {entries.map(([k, v]) => (
          <div key={k} class="fact">
            <dt>{db ? fieldLabel(t, db, k) : k}</dt>
            <dd>{displayValue(t, lang, db, specs.find((s) => s.name === k), v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function Notices({ notices }: { notices: NoticeMatch[] }) {
  const { t, lang } = useI18n();
  return (
    <section class={notices.length ? 'card card-alert' : 'card'} aria-labelledby="notices">
      <h2 id="notices">{t('result.notices')}</h2>
      {notices.length === 0 && <p>{t('result.noNotices')}</p>}
      {notices.map((n) => (
        <article key={n.control_number} class={`notice-match notice-${n.kind}`} data-testid="notice">
          <h3>
            {t('result.notice', {
              kind: t(`result.kind.${n.kind}`, { defaultValue: n.kind }),
              channel: t(`result.channel.${n.channel}`, { defaultValue: n.channel }),
              number: n.control_number,
            })}
          </h3>
          <p class="match-meta">
            <span>{t('result.requestedBy', { country: countryName(n.requesting_country, lang) })}</span>
            <span>{t(`result.matchedBy.${n.matched_by}`)}</span>
            {n.score !== undefined && <span>{t('result.score', { score: n.score.toFixed(2) })}</span>}
          </p>
          {n.action && <p class="action">{n.action}</p>}
          {n.cited_by && <p class="hint">{t('result.record', { id: n.cited_by })}</p>}
          {n.hit && <p class="hint">{t('result.hit', { id: n.hit })}</p>}
        </article>
      ))}
    </section>
  );
}

function Actions({ actions }: { actions: BorderCheckResult['actions'] }) {
  const { t, lang } = useI18n();
  return (
    <section class="card" aria-labelledby="actions">
      <h2 id="actions">{t('result.actions')}</h2>
      {actions.length === 0 ? (
        <p>{t('result.noActions')}</p>
      ) : (
        <ol class="actions">
          {actions.map((a) => (
            <li key={`${a.database}-${a.record}`}>
              <p class="match-meta">
                <span>{a.database}</span>
                <span>{t('result.owner', { country: countryName(a.owner_country, lang) })}</span>
              </p>
              <p class="action">{a.action}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
