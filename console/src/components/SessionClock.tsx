// When the session ends, in the frame, and a warning before it does: before the idle timeout
// (with a button that keeps the session alive) and before the fixed expiry.
import { useEffect, useState } from 'preact/hooks';
import { api, lastActivityAt } from '../api/client';
import { forecast } from '../app/sessionClock';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { formatShortTime } from '../i18n/format';

const TICK_MS = 5_000;

export function SessionClock() {
  const { t, lang } = useI18n();
  const me = useMe();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const f = forecast(me.session, now, lastActivityAt());
  if (!f) return null;
  const time = (d: Date) => formatShortTime(d, lang);
  // A request restarts the hub's idle timer; /v1/me is the cheapest that says who we are.
  const stay = () => void api('GET', '/v1/me').then(() => setNow(Date.now()), () => undefined);
  return (
    <>
      <p class="session-until">{t('session.until', { time: time(f.endsAt) })}</p>
      {f.warn && (
        <div class="session-warning" role="alert" data-testid="session-warning">
          <p>{f.warn === 'idle' && f.idleAt ? t('session.idleWarning', { time: time(f.idleAt) }) : t('session.endWarning', { time: time(f.endsAt) })}</p>
          {f.warn === 'idle' && <button type="button" onClick={stay}>{t('session.stay')}</button>}
        </div>
      )}
    </>
  );
}
