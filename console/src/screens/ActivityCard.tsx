// The dashboard's charts: the agency's messages and checks per day, and hits per database on
// each side (GET /v1/stats/activity), recounted when the mailbox brings a message.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { dailySeries, getActivity, type Activity } from '../api/stats';
import type { MailboxEvent } from '../api/types';
import { useI18n } from '../app/i18n';
import { BarChart } from '../components/BarChart';
import { ErrorBox } from '../components/ErrorBox';
import { formatDayMonth } from '../i18n/format';
import { useMailbox } from '../live/feed';

const DAYS = 14;

export function ActivityCard() {
  const { t, lang } = useI18n();
  const [activity, setActivity] = useState<Activity | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = useCallback(() => {
    getActivity(DAYS).then((a) => { setActivity(a); setError(null); }, setError);
  }, []);
  useEffect(refresh, [refresh]);
  const onEvents = useCallback((events: MailboxEvent[]) => {
    if (events.some((e) => e.kind === 'message')) refresh();
  }, [refresh]);
  useMailbox(onEvents);

  const daily = useMemo(() => {
    if (!activity) return null;
    const s = dailySeries(activity);
    return {
      labels: s.days.map((d) => formatDayMonth(d, lang)),
      series: [
        { label: t('dashboard.received'), values: s.received, colour: '#0b4f8a' },
        { label: t('dashboard.sent'), values: s.sent, colour: '#5b9bd5' },
        { label: t('dashboard.checks'), values: s.checks, colour: '#7a4a00' },
      ],
    };
  }, [activity, lang, t]);
  const hits = useMemo(() => {
    if (!activity) return null;
    const { checker, owner } = activity.hits_by_database;
    const dbs = [...new Set([...Object.keys(checker), ...Object.keys(owner)])].sort();
    return {
      labels: dbs,
      series: [
        { label: t('dashboard.hitsChecker'), values: dbs.map((d) => checker[d] ?? 0), colour: '#a4161a' },
        { label: t('dashboard.hitsOwner'), values: dbs.map((d) => owner[d] ?? 0), colour: '#1e6b34' },
      ],
    };
  }, [activity, t]);

  return (
    <section class="card card-wide" aria-labelledby="activity-title" data-testid="activity">
      <h2 id="activity-title">{t('dashboard.activityTitle', { days: DAYS })}</h2>
      <ErrorBox error={error} />
      {!activity && !error && <p>{t('app.loading')}</p>}
      {daily && <BarChart title={t('dashboard.perDay')} labels={daily.labels} series={daily.series} labelHeader={t('dashboard.day')} testId="chart-daily" />}
      {hits && hits.labels.length === 0 && <p>{t('dashboard.noHits')}</p>}
      {hits && hits.labels.length > 0 && <BarChart title={t('dashboard.hitsTitle')} labels={hits.labels} series={hits.series} labelHeader={t('dashboard.database')} testId="chart-hits" />}
    </section>
  );
}
