// What needs the user now: the unread messages by priority (GET /v1/messages?unread),
// recounted whenever the mailbox feed brings a message, the way to a border check, and the
// agency's activity in charts (GET /v1/stats/activity). The other panels are not
// built yet (docs/console.md).
import { lazy } from 'preact-iso';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { PRIORITIES, unreadByPriority } from '../api/messages';
import type { Priority } from '../api/types';
import { mayBorderCheck, mayUseMessages } from '../app/capabilities';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { ErrorBox } from '../components/ErrorBox';
import { LiveStatus } from '../components/LiveStatus';
import { formatNumber } from '../i18n/format';
import { useMailbox } from '../live/feed';

// Chart.js comes with the charts, not with the first screen.
const ActivityCard = lazy(() => import('./ActivityCard').then((m) => m.ActivityCard));

export function Dashboard() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <div class="dashboard">
      <h1>{t('dashboard.title')}</h1>
      <p class="lead">{t('dashboard.welcome', { agency: me.agency.name })}</p>
      <div class="cards">
        {mayUseMessages(me) && <UnreadCard />}
        {mayBorderCheck(me) && (
          <section class="card" aria-labelledby="checks-title">
            <h2 id="checks-title">{t('dashboard.checksTitle')}</h2>
            <p>{t('dashboard.checksIntro')}</p>
            <a class="button primary" href="/border-check">{t('dashboard.startCheck')}</a>
          </section>
        )}
        <ActivityCard />
      </div>
      <p class="hint">{t('dashboard.notYet')}</p>
    </div>
  );
}

function UnreadCard() {
  const { t, lang } = useI18n();
  const [counts, setCounts] = useState<Record<Priority, number> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [updated, setUpdated] = useState<Date | null>(null);

  const refresh = useCallback(() => {
    unreadByPriority()
      .then((c) => {
        setCounts(c);
        setError(null);
        setUpdated(new Date());
      })
      .catch(setError);
  }, []);
  useEffect(refresh, [refresh]);
  const onEvents = useCallback(
    (events: { kind: string }[]) => {
      if (events.some((e) => e.kind === 'message')) refresh();
    },
    [refresh],
  );
  const status = useMailbox(onEvents);
  const total = counts ? PRIORITIES.reduce((n, p) => n + counts[p], 0) : 0;

  return (
    <section class="card" aria-labelledby="unread-title">
      <h2 id="unread-title">{t('dashboard.unreadTitle')}</h2>
      <LiveStatus status={status} updated={updated} />
      <ErrorBox error={error} />
      {counts && (
        <>
          <p class="big-number" data-testid="unread-total">
            {total === 0 ? t('dashboard.noUnread') : t('dashboard.unreadTotal', { count: total })}
          </p>
          <dl class="priority-counts">
            {PRIORITIES.map((p) => (
              <div key={p} class={`priority-${p}`} data-testid={`unread-${p}`}>
                <dt>{t(`priority.${p}`)}</dt>
                <dd>{formatNumber(counts[p], lang)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {!counts && !error && <p>{t('app.loading')}</p>}
      <a class="button" href="/messages">{t('dashboard.openInbox')}</a>
    </section>
  );
}
