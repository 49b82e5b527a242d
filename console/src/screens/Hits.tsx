// The hits of the agency's checks and those on its records (GET /v1/hits?side=...), with the
// follow-up state of each side; each opens on its follow-ups (HitView).
import { useEffect, useState } from 'preact/hooks';
import { listHits, type Hit } from '../api/hits';
import { useI18n } from '../app/i18n';
import { ErrorBox } from '../components/ErrorBox';
import { countryName } from '../i18n/countries';
import { formatDateTime } from '../i18n/format';

type Side = 'checker' | 'owner';

export function Hits() {
  const { t } = useI18n();
  const [side, setSide] = useState<Side>('checker');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setHits(null);
    setError(null);
    listHits(side).then((page) => {
      setHits(page.hits);
      setNext(page.next_before ?? null);
    }, setError);
  }, [side]);

  const older = () =>
    listHits(side, next).then((page) => {
      setHits((old) => [...(old ?? []), ...page.hits]);
      setNext(page.next_before ?? null);
    }, setError);

  return (
    <div class="hits">
      <h1>{t('hits.title')}</h1>
      <p class="lead">{t('hits.intro')}</p>
      <fieldset class="side-switch">
        <legend>{t('hits.sides')}</legend>
        {(['checker', 'owner'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name="side" value={s} checked={side === s} onChange={() => setSide(s)} />
            {t(`hits.${s}`)}
          </label>
        ))}
      </fieldset>
      <ErrorBox error={error} />
      {hits === null && !error && <p>{t('app.loading')}</p>}
      {hits?.length === 0 && <p>{t('hits.empty')}</p>}
      {hits && hits.length > 0 && <HitTable hits={hits} side={side} />}
      {next && <button type="button" onClick={() => void older()}>{t('hits.older')}</button>}
    </div>
  );
}

function HitTable({ hits, side }: { hits: Hit[]; side: Side }) {
  const { t, lang } = useI18n();
  const matched = (h: Hit) =>
    h.matched.kind === 'name'
      ? t('hits.byName', { value: h.matched.value, score: h.matched.score.toFixed(2) })
      : t('hits.byIdentifier', { identifier: h.matched.identifier ?? '', value: h.matched.value });
  const where = (h: Hit) => [h.context.port, h.context.flight, h.context.location].filter(Boolean).join(' · ');
  const ours = (h: Hit) => (side === 'checker' ? h.checker_side : h.owner_side).state;
  const theirs = (h: Hit) => (side === 'checker' ? h.owner_side : h.checker_side).state;
  return (
    <table class="messages" data-testid="hits">
      <caption class="sr-only">{t(`hits.${side}`)}</caption>
      <thead>
        <tr>
          <th scope="col">{t('hits.checkedAt')}</th>
          <th scope="col">{t('hits.database')}</th>
          <th scope="col">{t('hits.matched')}</th>
          <th scope="col">{t('hits.checkedBy')}</th>
          <th scope="col">{t('hits.context')}</th>
          <th scope="col">{t('hits.ourState')}</th>
          <th scope="col">{t('hits.theirState')}</th>
        </tr>
      </thead>
      <tbody>
        {hits.map((h) => (
          <tr key={h.id} data-testid="hit-row">
            <td><a href={`/hits/${encodeURIComponent(h.id)}`}>{formatDateTime(h.checked_at, lang)}</a></td>
            <td>{h.record.database}<br /><span class="hint">{h.record.id}</span></td>
            <td dir="auto">{matched(h)}</td>
            <td>{[h.checker.user_name, h.checker.agency, countryName(h.checker.country, lang)].filter(Boolean).join(', ')}</td>
            <td dir="auto">{where(h)}</td>
            <td>{t(`hits.state.${ours(h)}`)}</td>
            <td>{t(`hits.state.${theirs(h)}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
