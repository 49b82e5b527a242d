// One hit with its follow-ups (GET /v1/hits/{id}) and the form that records our side's
// (POST /v1/hits/{id}/follow-ups; the other side is told by the hub). The note typed is kept
// on an error.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { addFollowUp, getHit, sideOf, type Hit, type HitState } from '../api/hits';
import { errorText } from '../api/errors';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import { formatDateTime } from '../i18n/format';

const STATES: Exclude<HitState, 'open'>[] = ['confirmed', 'not_same_person', 'action_taken', 'closed'];

export function HitView() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { params } = useRoute();
  const [hit, setHit] = useState<Hit | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    getHit(params.id ?? '').then(setHit, setError);
  }, [params.id]);
  if (!hit) return <div><ErrorBox error={error} />{!error && <p>{t('app.loading')}</p>}</div>;
  const side = sideOf(hit, me.agency.id);
  const ours = side === 'checker' ? hit.checker_side : hit.owner_side;
  return (
    <div class="hit-view">
      <p><a href="/hits">{t('hits.back')}</a></p>
      <h1>{t('hits.heading', { id: hit.id })}</h1>
      <dl class="facts">
        <div class="fact"><dt>{t('hits.checkedAt')}</dt><dd>{formatDateTime(hit.checked_at, lang)}</dd></div>
        <div class="fact"><dt>{t('hits.record')}</dt><dd>{`${hit.record.database} ${hit.record.id}`}</dd></div>
        <div class="fact"><dt>{t('hits.ourState')}</dt><dd data-testid="our-state">{t(`hits.state.${ours.state}`)}</dd></div>
        <div class="fact"><dt>{t('hits.theirState')}</dt><dd data-testid="their-state">{t(`hits.state.${(side === 'checker' ? hit.owner_side : hit.checker_side).state}`)}</dd></div>
      </dl>
      <section aria-labelledby="follow-ups">
        <h2 id="follow-ups">{t('hits.followUps')}</h2>
        {(hit.follow_ups ?? []).length === 0 && <p>{t('hits.noFollowUps')}</p>}
        <ol class="follow-ups">
          {(hit.follow_ups ?? []).map((f) => (
            <li key={f.seq}>
              <p>{t('hits.followUpBy', { side: t(`hits.side.${f.side}`), state: t(`hits.state.${f.state}`), agency: f.agency, user: f.user ?? '', at: formatDateTime(f.at, lang) })}</p>
              {f.note && <p class="action" dir="auto">{f.note}</p>}
            </li>
          ))}
        </ol>
      </section>
      {ours.state === 'closed' ? <p>{t('hits.closedNote')}</p> : <FollowUpForm hit={hit} onSaved={setHit} />}
    </div>
  );
}

function FollowUpForm({ hit, onSaved }: { hit: Hit; onSaved: (h: Hit) => void }) {
  const { t } = useI18n();
  const [state, setState] = useState<Exclude<HitState, 'open'>>('confirmed');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onSaved(await addFollowUp(hit.id, state, note));
      setNote('');
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="follow-up-form">
      <h2 id="follow-up-form">{t('hits.form')}</h2>
      <Field label={t('hits.newState')}>
        {({ id }) => (
          <select id={id} name="state" value={state} onChange={(e) => setState(e.currentTarget.value as typeof state)}>
            {STATES.map((s) => <option key={s} value={s}>{t(`hits.state.${s}`)}</option>)}
          </select>
        )}
      </Field>
      <Field label={t('hits.note')} error={error ? errorText(t, error) : null}>
        {({ id, describedBy, invalid }) => (
          <textarea id={id} name="note" rows={3} maxLength={4000} value={note} dir="auto"
            aria-invalid={invalid} aria-describedby={describedBy} onInput={(e) => setNote(e.currentTarget.value)} />
        )}
      </Field>
      {saved && <p class="ok-text" role="status">{t('hits.saved')}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('hits.saving') : t('hits.submit')}</button>
    </form>
  );
}
